import ShiftbridgeCore
import Vapor

/// Lets a request through only with a live token from Settings → SCIM.
struct SCIMTokenMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let presented = request.headers.bearerAuthorization?.token,
              let token = try await request.services.scimTokens(request.db).authenticate(presented)
        else {
            throw SCIMError(status: 401, nil, "Send Authorization: Bearer <token>, with a token made under Settings → SCIM")
        }
        request.storage[SCIMTokenKey.self] = token
        return try await next.respond(to: request)
    }
}

struct SCIMTokenKey: StorageKey { typealias Value = SCIMToken }

extension Request {
    /// The token this SCIM request came with (set by `SCIMTokenMiddleware`).
    var scimToken: SCIMToken {
        get throws {
            guard let token = storage[SCIMTokenKey.self] else { throw SCIMError(status: 401, nil, "Not authenticated") }
            return token
        }
    }

    /// Where `/scim/v2` is, for `meta.location`: under `SHIFTBRIDGE_PUBLIC_URL` only.
    var scimBase: String {
        get throws {
            guard let base = services.links.shown(SCIMTokens.basePath) else { throw SCIMError(status: 503, nil, PublicLinks.required.message) }
            return base
        }
    }
}
