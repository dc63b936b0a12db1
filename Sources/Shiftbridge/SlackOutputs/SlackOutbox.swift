import Fluent
import Foundation
import ShiftbridgeCore

/// Slack work recorded in the same transaction as a duty change: the groups and topics it
/// touches are marked for the delivery job, and the handoff message is queued, its text
/// filled now so it says what happened at that instant.
struct SlackOutbox {
    let duty: @Sendable (any Database) -> RotationDuty

    func record(_ changes: [DutyChanges.Change], at: Date, on db: any Database) async throws {
        let ids = changes.compactMap(\.rotation.id)
        guard !ids.isEmpty else { return }
        let outputs = try await SlackOutput.query(on: db).filter(\.$rotation.$id ~~ ids).all()
        guard !outputs.isEmpty else { return }
        try await SlackTarget.markDirty(outputs.flatMap(\.targetKeys), at: at, on: db)
        let announcing = outputs.filter { $0.channel != nil && $0.handoffMessageTemplate != nil }
        guard !announcing.isEmpty else { return }
        let rotations = changes.map(\.rotation).filter { rotation in announcing.contains { $0.$rotation.id == rotation.id } }
        let facts = try await SlackDutyFacts.load(rotations, duty: duty(db), on: db)
        for output in announcing {
            guard let change = changes.first(where: { $0.rotation.id == output.$rotation.id }), let channel = output.channel,
                  let template = try? SlackTemplate(output.handoffMessageTemplate ?? ""),
                  let values = facts.values(output.$rotation.id, at: at, previous: change.previous) else { continue }
            let message = SlackMessage()
            message.rotationID = output.$rotation.id
            message.channel = channel
            message.text = template.fill(values)
            message.dedupeKey = "handoff:\(output.$rotation.id):\(Int(at.timeIntervalSince1970 * 1000)):\(change.current.map(\.label).joined(separator: ","))"
            message.status = .pending
            message.attempts = 0
            message.nextAttemptAt = at
            message.createdAt = at
            try await message.create(on: db)
        }
    }

    /// A rotation's members or outputs changed: its groups and topic are worked out again.
    static func rotationEdited(_ rotationID: UUID, at: Date, on db: any Database) async throws {
        guard let output = try await SlackOutput.query(on: db).filter(\.$rotation.$id == rotationID).first() else { return }
        try await SlackTarget.markDirty(output.targetKeys, at: at, on: db)
    }
}
