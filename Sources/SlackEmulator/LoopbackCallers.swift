import EmulatorSupport
import Foundation
import Vapor

/// The control API answers this machine only.
struct LoopbackCallers: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let ip = request.remoteAddress?.ipAddress ?? ""
        guard ip.hasPrefix("127.") || ip == "::1" || request.remoteAddress == nil else {
            return SlackControl.bad("the control API answers loopback callers only", status: .forbidden)
        }
        return try await next.respond(to: request)
    }
}
