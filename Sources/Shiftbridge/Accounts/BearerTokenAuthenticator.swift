import Fluent
import Vapor

/// `Authorization: Bearer <token>` → the token's user.
struct BearerTokenAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        guard bearer.token.hasPrefix(APIToken.prefix) else { return }
        let services = request.services
        let digest = APIToken.digest(bearer.token)
        let now = services.clock.now()
        // A token checked in the last few seconds is not looked up again.
        if let known = services.tokenCache.get(digest, now: now) {
            request.auth.login(known.user)
            request.auth.login(TokenAuthentication(tokenID: known.tokenID))
            return
        }
        guard let token = try await APIToken.query(on: request.db).filter(\.$tokenHash == digest).with(\.$user).first(),
              let tokenID = token.id
        else { return }
        request.auth.login(token.user)
        request.auth.login(TokenAuthentication(tokenID: tokenID))
        services.tokenCache.set(digest, AuthenticatedToken(user: token.user, tokenID: tokenID), now: now)
        // Record use at most once a minute per token, to keep reads cheap.
        if token.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            token.lastUsedAt = now
            try await token.save(on: request.db)
        }
    }
}
