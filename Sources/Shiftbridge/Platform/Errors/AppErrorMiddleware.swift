import ShiftbridgeCore
import Vapor

/// Turns every thrown error into a response: JSON under `/api/`, SCIM's error JSON under
/// `/scim/v2` (the only kind SCIM clients read, whatever failed: a body too large, no
/// route), a readable page elsewhere. Server errors are logged with their details; the
/// client sees a generic message.
struct AppErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as SCIMError {
            return SCIMResponse.make(HTTPResponseStatus(statusCode: error.status), error.json)
        } catch {
            var failure = AppError.answering(error)
            // No route for this method, but one for the path: 405 and what is allowed.
            var allowed: [HTTPMethod] = []
            if failure.kind == .notFound, request.route == nil {
                allowed = Self.methods(for: request.url.path, in: request.application.routes.all)
                if !allowed.isEmpty {
                    failure = AppError(.methodNotAllowed, code: "method_not_allowed",
                                       "\(request.method) is not supported here; use \(allowed.map(\.rawValue).joined(separator: ", "))")
                }
            }
            let status = failure.kind.httpStatus
            if status.code >= 500 {
                request.logger.report(error: error)
            }
            let response: Response
            if request.url.path == "/scim/v2" || request.url.path.hasPrefix("/scim/v2/") {
                response = SCIMResponse.make(status, SCIMError(status: Int(status.code), nil, failure.message).json)
            } else if request.url.path.hasPrefix("/api/") || request.url.path.hasPrefix("/hooks/") {
                response = Response(status: status)
                try response.content.encode(ErrorBody(failure))
            } else {
                response = HTMLResponse.make(status: status, html: ErrorPage(status: status, message: failure.message).render())
            }
            if !allowed.isEmpty { response.headers.replaceOrAdd(name: .allow, value: allowed.map(\.rawValue).joined(separator: ", ")) }
            if let retryAfter = failure.retryAfter { response.headers.replaceOrAdd(name: .retryAfter, value: "\(retryAfter)") }
            return response
        }
    }
}

extension AppErrorMiddleware {
    /// The methods some route answers for `path` (HEAD goes with GET).
    static func methods(for path: String, in routes: [Route]) -> [HTTPMethod] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods: [HTTPMethod] = []
        for route in routes where route.path.count == parts.count || route.path.last == .catchall {
            let matches = zip(route.path, parts).allSatisfy { component, part in
                switch component {
                case .constant(let value): value == part
                case .parameter, .anything, .catchall: true
                }
            }
            if matches && !methods.contains(route.method) { methods.append(route.method) }
        }
        return methods.sorted { $0.rawValue < $1.rawValue }
    }
}
