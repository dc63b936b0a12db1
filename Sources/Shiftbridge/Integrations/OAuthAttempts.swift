import Crypto
import Fluent
import Foundation

/// OAuth authorizations in progress, whichever the provider: sealed, single use, bound to the
/// admin who started one and to their browser session, for ten minutes. A callback that does
/// not match (another account, another session, another provider) leaves the attempt for its
/// owner: only a matching one is taken.
struct OAuthAttempts {
    let db: any Database
    let clock: any AppClock
    let secrets: SecretBox

    /// Stores `payload` for the admin's session; answers the `state` to send along.
    func begin(_ payload: OAuthAttempt.Payload, user: User, sessionNonce: String?) async throws -> String {
        let state = [UInt8].random(count: 24).base64String().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let now = clock.now()
        let attempt = OAuthAttempt()
        attempt.id = Self.hash(state)
        attempt.$user.id = try user.requireID()
        attempt.sessionNonce = sessionNonce
        attempt.sealedPayload = try secrets.seal(String(decoding: try JSONEncoder().encode(payload), as: UTF8.self))
        attempt.expiresAt = now.addingTimeInterval(OAuthAttempt.lifetime)
        try await OAuthAttempt.query(on: db).filter(\.$expiresAt < now).delete()
        try await attempt.create(on: db)
        return state
    }

    /// The payload of the attempt `state` names, taken (deleted) when it is `user`'s, from this
    /// session, for one of `purposes`, and not expired. Anything else throws what to do, and a
    /// mismatched callback leaves the attempt where it is.
    func take(state: String?, user: User, sessionNonce: String?, purposes: Set<OAuthAttempt.Purpose>, what: String) async throws -> OAuthAttempt.Payload {
        func refused(_ code: String, _ message: String) -> AppError { AppError(.invalid, code: code, message) }
        guard let state, !state.isEmpty, state.unicodeScalars.count <= 200, let attempt = try await OAuthAttempt.find(Self.hash(state), on: db) else {
            throw refused("invalid_state", "This \(what) could not be matched to one you started (unknown or reused state). Start again.")
        }
        guard attempt.$user.id == user.id, attempt.sessionNonce == nil || attempt.sessionNonce == sessionNonce else {
            throw refused("invalid_state", "This \(what) was started in another session. Start again from this browser.")
        }
        let payload = try JSONDecoder().decode(OAuthAttempt.Payload.self, from: Data(try secrets.open(attempt.sealedPayload).utf8))
        guard purposes.contains(payload.purpose) else {
            throw refused("invalid_state", "This \(what) was started for something else. Start again.")
        }
        // Single use from here, whatever happens next.
        try await attempt.delete(on: db)
        guard attempt.expiresAt > clock.now() else {
            throw refused("expired", "The \(what) took longer than 10 minutes and expired. Start again.")
        }
        return payload
    }

    static func hash(_ state: String) -> String {
        SHA256.hash(data: Data(state.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
