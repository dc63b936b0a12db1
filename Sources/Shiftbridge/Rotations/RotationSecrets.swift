import Fluent
import Foundation

/// A rotation's calendar feed token and incoming-webhook secret: issued (shown once,
/// revoking the previous one), revoked, and looked up by the value presented.
struct RotationSecrets {
    let db: any Database
    let clock: any AppClock
    let directory: RotationDirectory

    func issue(_ kind: RotationSecret.Kind, for rotation: Rotation, by user: User) async throws -> String {
        try await directory.requireEditor(rotation, user)
        let value = RotationSecret.generate()
        let rotationID = try rotation.requireID()
        let now = clock.now()
        try await db.transaction { db in
            try await RotationSecret.query(on: db).filter(\.$rotation.$id == rotationID).filter(\.$kind == kind).delete()
            let secret = RotationSecret()
            secret.$rotation.id = rotationID
            secret.kind = kind
            secret.digest = RotationSecret.digest(value)
            secret.last4 = String(value.suffix(4))
            secret.createdAt = now
            try await secret.create(on: db)
            try await AuditEvent.record(on: db, at: now, actor: user.email, kind == .calendar ? .rotationCalendarIssued : .rotationIncomingWebhookIssued,
                                        .rotation(rotation), after: "secret ending …\(secret.last4)")
        }
        return value
    }

    func revoke(_ kind: RotationSecret.Kind, for rotation: Rotation, by user: User) async throws {
        try await directory.requireEditor(rotation, user)
        try await db.transaction { db in
            try await RotationSecret.query(on: db).filter(\.$rotation.$id == rotation.requireID()).filter(\.$kind == kind).delete()
            try await AuditEvent.record(on: db, at: clock.now(), actor: user.email, kind == .calendar ? .rotationCalendarRevoked : .rotationIncomingWebhookRevoked,
                                        .rotation(rotation))
        }
    }

    /// The rotation a presented secret belongs to, or nil.
    func rotation(bySecret value: String, kind: RotationSecret.Kind) async throws -> Rotation? {
        guard value.unicodeScalars.count <= 200 else { return nil }
        return try await RotationSecret.query(on: db).filter(\.$digest == RotationSecret.digest(value)).filter(\.$kind == kind).with(\.$rotation).first()?.rotation
    }
}
