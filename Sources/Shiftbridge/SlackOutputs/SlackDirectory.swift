import Fluent
import Foundation
import Logging
import SlackKit

/// The workspace's members, read whole with one paged `users.list` (hourly and on demand)
/// and matched to people by email. A failed read keeps the last good list.
struct SlackDirectory {
    let db: any Database
    let clock: any AppClock
    let clients: SlackClients
    let logger: Logger

    /// Reads the members; true when the list was read and stored.
    @discardableResult
    func refresh() async -> Bool {
        let now = clock.now()
        do {
            guard let pair = try await clients.clients() else { return false }
            let users: [SlackUser]
            do {
                users = try await pair.bot.allUsers()
            } catch let error as SlackAPIError {
                pair.connection.membersError = error.description
                if error.isAuthenticationFailure { pair.connection.status = .tokenRevoked }
                try await pair.connection.save(on: db)
                return false
            }
            try await db.transaction { db in
                let before = try await Self.links(on: db)
                try await SlackMember.query(on: db).delete()
                let members = users.map { SlackMember(slackID: $0.id, email: $0.email?.lowercased(), name: $0.real_name ?? $0.name, eligible: $0.canJoinGroups) }
                for start in stride(from: 0, to: members.count, by: 500) {
                    try await Array(members[start..<min(start + 500, members.count)]).create(on: db)
                }
                let connection = try await SlackConnection.current(on: db)
                connection?.membersReadAt = now
                connection?.membersError = nil
                try await connection?.save(on: db)
                // Links changed (someone joined Slack, or left): every group is worked out again.
                if try await Self.links(on: db) != before {
                    try await SlackTarget.markAllDirty(at: now, on: db)
                }
            }
            return true
        } catch {
            logger.warning("Slack members could not be stored", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Email → Slack id, for eligible members only.
    static func links(on db: any Database) async throws -> [String: String] {
        var links: [String: String] = [:]
        for member in try await SlackMember.query(on: db).filter(\.$eligible == true).all() {
            if let email = member.email { links[email] = member.slackID }
        }
        return links
    }

    /// Whether the members were read within the hour.
    func isFresh() async throws -> Bool {
        guard let connection = try await SlackConnection.current(on: db), connection.status == .active else { return true }
        guard let readAt = connection.membersReadAt else { return false }
        return clock.now().timeIntervalSince(readAt) < 3600
    }
}
