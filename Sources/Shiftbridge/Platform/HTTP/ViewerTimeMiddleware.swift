import Foundation
import Vapor

/// Renders every page in the viewer's time zone: their own setting, else the zone their
/// browser reported (the `tz` cookie `app.js` sets), else UTC.
struct ViewerTimeMiddleware: AsyncMiddleware {
    let clock: any AppClock

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let zone = request.auth.get(User.self)?.timeZone.flatMap(TimeZone.init(identifier:))
            ?? (request.cookies["tz"]?.string).flatMap { $0.count <= 64 ? TimeZone(identifier: $0) : nil }
            ?? .gmt
        return try await ViewerTime.$zone.withValue(zone) {
            try await ViewerTime.$now.withValue(clock.now()) {
                try await next.respond(to: request)
            }
        }
    }
}
