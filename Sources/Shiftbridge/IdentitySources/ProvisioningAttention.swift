import Fluent
import Foundation

/// What in provisioning waits on an administrator: runs waiting for approval, runs the
/// mass-termination guard holds, HR sources failing for longer than their interval. Shown at
/// the top of the dashboard, and sent as a digest every `reminder_hours` while any remain:
/// the `provisioning.attention` webhook event, and a Slack message to each administrator.
struct ProvisioningAttention {
    let db: any Database
    let clock: any AppClock
    let configuration: ProvisioningConfiguration

    struct Facts: Codable, Equatable, Sendable {
        struct Run: Codable, Equatable, Sendable {
            let id: UUID
            let items_waiting: Int
            let held_by_guard: Bool
        }
        struct Source: Codable, Equatable, Sendable {
            let name: String
            let failing_since: Date
            let message: String?
        }
        var runs: [Run] = []
        var failing_sources: [Source] = []

        var isEmpty: Bool { runs.isEmpty && failing_sources.isEmpty }

        /// In words, for a message.
        var sentence: String {
            var parts: [String] = []
            let waiting = runs.map(\.items_waiting).reduce(0, +)
            if waiting > 0 { parts.append("\(waiting) provisioning change(s) wait for approval") }
            let held = runs.filter(\.held_by_guard).count
            if held > 0 { parts.append("\(held) run(s) are held by the mass-termination guard") }
            for source in failing_sources { parts.append("HR source \(source.name) has failed since \(source.failing_since.formatted(.iso8601))") }
            return parts.joined(separator: "; ")
        }
    }

    func facts() async throws -> Facts {
        var facts = Facts()
        for run in try await ProvisioningRun.query(on: db).filter(\.$status == .pendingApproval).sort(\.$createdAt).all() {
            let id = try run.requireID()
            let waiting = try await ProvisioningItem.query(on: db).filter(\.$run.$id == id).filter(\.$state == .pendingApproval).count()
            facts.runs.append(.init(id: id, items_waiting: waiting, held_by_guard: run.terminationsHeld))
        }
        let now = clock.now()
        for source in try await HRSource.query(on: db).filter(\.$failingSince != nil).sort(\.$name).all() {
            guard let since = source.failingSince, now.timeIntervalSince(since) > Double(source.everyMinutes) * 60 else { continue }
            facts.failing_sources.append(.init(name: source.name, failing_since: since, message: source.lastMessage))
        }
        return facts
    }

    static let event = "provisioning.attention"

    /// Sends the digest if anything waits and none went out in the last `reminder_hours`: a
    /// lease taken for that long by a holder used once, so no instance (this one included)
    /// renews it early. Returns whether it was sent.
    @discardableResult
    func remindIfDue() async throws -> Bool {
        let facts = try await facts()
        guard !facts.isEmpty else { return false }
        let hours = try await configuration.settings().reminderHours
        let now = clock.now()
        guard try await Leases.acquire("provisioning-attention", ttl: Double(hours) * 3600, on: db, holder: UUID().uuidString, now: now) else { return false }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        struct Payload: Encodable { let event: String; let at: Date; let summary: String; let attention: Facts }
        let body = String(decoding: try encoder.encode(Payload(event: Self.event, at: now, summary: facts.sentence, attention: facts)), as: UTF8.self)
        try await db.transaction { db in
            for hook in try await Webhook.query(on: db).filter(\.$rotation.$id == nil).all() {
                try await WebhookOutbox.delivery(of: Self.event, body: body, to: hook, at: now).create(on: db)
            }
            // Administrators Slack knows by their email; the others hear of it on the dashboard.
            guard try await SlackConnection.current(on: db) != nil else { return }
            let linked = try await SlackDirectory.links(on: db)
            for admin in try await User.query(on: db).filter(\.$isAdmin == true).all() where linked[admin.email] != nil {
                try await SlackMessage(directTo: admin.email, text: "Shiftbridge provisioning needs you: \(facts.sentence).",
                                       dedupeKey: "attention:\(admin.email):\(Int(now.timeIntervalSince1970))", at: now).create(on: db)
            }
        }
        return true
    }
}
