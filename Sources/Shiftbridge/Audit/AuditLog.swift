import Fluent
import FluentSQL
import Foundation

/// Reading the audit trail: administrators read every event; users read the events of the
/// rotations they may see (public ones and their own), of the People directory, and of their
/// own account.
struct AuditLog {
    let db: any Database

    struct Filter: Sendable {
        var action: String?
        var actor: String?
        var target: String?
        var since: Date?
        var until: Date?
    }

    static let maxPageSize = 500
    /// Far beyond any real history; it keeps offsets from overflowing.
    static let maxOffset = 10_000_000

    /// A page of events, newest first, and whether more follow.
    func events(visibleTo viewer: User, filter: Filter = .init(), offset: Int = 0, limit: Int = 50) async throws -> (events: [AuditEvent], more: Bool) {
        guard (0...Self.maxOffset).contains(offset) else { throw AppError.invalidField("offset", "must be from 0 to \(Self.maxOffset)") }
        guard (1...Self.maxPageSize).contains(limit) else { throw AppError.invalidField("limit", "must be from 1 to \(Self.maxPageSize)") }
        var query = AuditEvent.query(on: db).sort(\.$occurredAt, .descending).sort(\.$id)
        if !viewer.isAdmin {
            let userID = try viewer.requireID()
            query = query.filter(.sql(embed: """
                (rotation_id IN (SELECT id FROM rotations WHERE is_public = \(bind: true) \
                OR id IN (SELECT rotation_id FROM rotation_owners WHERE user_id = \(bind: userID))) \
                OR target LIKE \(bind: "person:%") OR target = \(bind: "user:\(viewer.email)"))
                """))
        }
        if let action = filter.action {
            guard let known = AuditAction(rawValue: action) else { return ([], false) }
            query = query.filter(\.$action == known)
        }
        if let actor = filter.actor { query = query.filter(\.$actor == actor) }
        if let target = filter.target { query = query.filter(\.$target == target) }
        if let since = filter.since { query = query.filter(\.$occurredAt >= since) }
        if let until = filter.until { query = query.filter(\.$occurredAt < until) }
        let rows = try await query.range(offset..<(offset + limit + 1)).all()
        return (Array(rows.prefix(limit)), rows.count > limit)
    }

    /// A rotation's history: duty changes and edits, newest first, whatever its code was then.
    func history(of rotation: Rotation, limit: Int = 50) async throws -> [AuditEvent] {
        try await AuditEvent.query(on: db).filter(\.$rotationID == rotation.requireID()).sort(\.$occurredAt, .descending).limit(limit).all()
    }
}
