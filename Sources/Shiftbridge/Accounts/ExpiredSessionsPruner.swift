import Fluent
import Foundation
import Vapor

/// Removes what has expired: browser sessions, invitations, OAuth attempts never finished,
/// and signed requests past their window.
enum ExpiredSessionsPruner {
    @discardableResult
    static func runOnce(db: any Database, now: Date) async throws -> Int {
        let sessions = try await WebSession.query(on: db).filter(\.$expiresAt <= now).count()
        try await WebSession.query(on: db).filter(\.$expiresAt <= now).delete()
        try await Invitation.query(on: db).filter(\.$expiresAt <= now).delete()
        try await OAuthAttempt.query(on: db).filter(\.$expiresAt <= now).delete()
        try await SeenRequest.query(on: db).filter(\.$expiresAt <= now).delete()
        return sessions
    }
}
