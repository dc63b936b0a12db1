import Vapor

/// Serves the bundled assets under `/static/`, and looks nowhere else on disk: every other
/// path goes straight to the router (a 404 there, never a file-system error such as a name
/// too long for the disk).
struct StaticFilesMiddleware: AsyncMiddleware {
    let files = FileMiddleware(publicDirectory: StaticAssets.directory)

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        guard path.hasPrefix("/static/"), path.split(separator: "/").allSatisfy({ $0.utf8.count <= 255 }) else {
            return try await next.respond(to: request)
        }
        return try await files.respond(to: request, chainingTo: next)
    }
}
