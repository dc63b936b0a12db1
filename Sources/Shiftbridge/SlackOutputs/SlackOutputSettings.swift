import Fluent
import Foundation
import ShiftbridgeCore
import SlackKit

/// Reading and saving a rotation's Slack outputs. Saving checks everything against Slack
/// first (templates, the topic's length once filled, the channel and groups the token can
/// reach) and refuses with what to fix; nothing is saved unless all of it passes.
struct SlackOutputSettings {
    let db: any Database
    let clock: any AppClock
    let clients: SlackClients
    let duty: RotationDuty

    func get(_ rotation: Rotation) async throws -> SlackOutputsDTO {
        let rotationID = try rotation.requireID()
        let output = try await SlackOutput.query(on: db).filter(\.$rotation.$id == rotationID).first()
        let facts = try await SlackDutyFacts.load([rotation], duty: duty, on: db)
        let roster = facts.rosters[rotationID] ?? []
        let linked = roster.filter { facts.links[$0] != nil }.count
        guard let output else {
            return SlackOutputsDTO(permanent_members: [], state: .init(usergroups: [:], groups: [], topic: nil, last_success_at: nil, stale_since: nil,
                                                                       problems: [], linked: linked, members: roster.count))
        }
        let targets = try await SlackTarget.query(on: db).filter(\.$key ~~ output.targetKeys.map(\.stored)).all()
        let byKey = Dictionary(targets.map { ($0.typedKey, $0) }, uniquingKeysWith: { a, _ in a })
        let groups = try [output.onDutyUsergroup, output.rosterUsergroup].compactMap { $0 }.map { reference -> SlackOutputsDTO.GroupState in
            let target = byKey[.usergroup(reference)]
            return .init(usergroup: reference, id: target?.slackID, members: ((try target?.appliedMembers) ?? []).sorted(), last_success_at: target?.lastSuccessAt,
                         stale_since: target?.staleSince, pending: target?.dirty ?? true)
        }
        let topic = output.topicTemplate == nil ? nil : output.channel.map { channel -> SlackOutputsDTO.TopicState in
            let target = byKey[.topic(channel)]
            return .init(channel: channel, topic: target?.applied, last_success_at: target?.lastSuccessAt, pending: target?.dirty ?? true)
        }
        var problems = targets.flatMap(\.problemList)
        let failed = try await SlackMessage.query(on: db).filter(\.$rotationID == rotationID).filter(\.$status == .failed)
            .sort(\.$createdAt, .descending).first()
        if let failed { problems.append("A message could not be posted: \(failed.lastError ?? "unknown error")") }
        let unlinked = try output.permanentMembers.filter { facts.links[$0] == nil }
        if !unlinked.isEmpty, output.onDutyUsergroup != nil, !problems.contains(where: { $0.hasPrefix("Not linked") }) {
            problems.append("Not linked to Slack: \(unlinked.joined(separator: ", "))")
        }
        if let connection = try await SlackConnection.current(on: db) { problems = connection.problems + problems } else { problems.insert("Slack is not connected", at: 0) }
        return SlackOutputsDTO(
            on_duty_usergroup: output.onDutyUsergroup, permanent_members: try output.permanentMembers, roster_usergroup: output.rosterUsergroup,
            channel: output.channel, topic_template: output.topicTemplate, handoff_message_template: output.handoffMessageTemplate,
            dm_before_minutes: output.dmBeforeMinutes,
            state: .init(usergroups: Dictionary(groups.map { ($0.usergroup, $0.members) }, uniquingKeysWith: { a, _ in a }), groups: groups, topic: topic,
                         last_success_at: targets.compactMap(\.lastSuccessAt).max(), stale_since: targets.compactMap(\.staleSince).min(),
                         problems: Self.once(problems), linked: linked, members: roster.count))
    }

    func save(_ rotation: Rotation, _ input: SlackOutputsInput, editor: Editor) async throws -> SlackOutputsDTO {
        let rotationID = try rotation.requireID()
        let actor = editor.email
        let before = try await SlackOutput.query(on: db).filter(\.$rotation.$id == rotationID).first()
        let (cleaned, reserve) = try await validate(rotation, input, editor: editor, existing: before)
        let now = clock.now()
        try await db.transaction { db in
            let existing = try await SlackOutput.query(on: db).filter(\.$rotation.$id == rotationID).first()
            // What was checked must still be what is replaced: another save in between means try again.
            guard existing?.updatedAt == before?.updatedAt else {
                throw AppError(.conflict, code: "changed_meanwhile", "The outputs were changed meanwhile; reload and try again")
            }
            let previousKeys = existing?.targetKeys ?? []
            let output = existing ?? SlackOutput()
            output.$rotation.id = rotationID
            output.onDutyUsergroup = cleaned.on_duty_usergroup
            output.store(permanentMembers: cleaned.permanent_members ?? [])
            output.rosterUsergroup = cleaned.roster_usergroup
            output.channel = cleaned.channel
            output.topicTemplate = cleaned.topic_template
            output.handoffMessageTemplate = cleaned.handoff_message_template
            output.dmBeforeMinutes = cleaned.dm_before_minutes
            output.updatedAt = now
            output.updatedBy = actor
            try await output.save(on: db)
            // Saving takes the topic back from a hand edit.
            if let channel = cleaned.channel, cleaned.topic_template != nil {
                try await SlackTarget.query(on: db).filter(\.$key == SlackTargetKey.topic(channel).stored).set(\.$applied, to: nil).update()
            }
            // Groups no longer named are worked out again too (without this rotation).
            try await SlackTarget.markDirty(previousKeys + output.targetKeys, at: now, now: true, on: db)
            // New handles are made for this rotation: its owners may keep using them.
            let reserved = reserve.map { SlackTargetKey.usergroup($0).stored }
            if !reserved.isEmpty {
                try await SlackTarget.query(on: db).filter(\.$key ~~ reserved).filter(\.$createdForRotationID == nil)
                    .set(\.$createdForRotationID, to: rotationID).update()
            }
            try await AuditEvent.record(on: db, at: now, actor: actor, .slackOutputsSaved, .rotation(rotation),
                                        after: Self.describe(cleaned))
        }
        return try await get(rotation)
    }

    /// Each problem once, in the order first met.
    static func once(_ problems: [String]) -> [String] {
        var seen: Set<String> = []
        return problems.filter { seen.insert($0).inserted }
    }

    static func describe(_ input: SlackOutputsInput) -> String {
        var parts: [String] = []
        if let group = input.on_duty_usergroup { parts.append("on-duty group @\(group)") }
        if let group = input.roster_usergroup { parts.append("roster group @\(group)") }
        if let channel = input.channel { parts.append("channel \(channel)") }
        if input.topic_template != nil { parts.append("topic") }
        if input.handoff_message_template != nil { parts.append("handoff message") }
        if let minutes = input.dm_before_minutes { parts.append("DM \(minutes) min before") }
        return parts.isEmpty ? "off" : parts.joined(separator: ", ")
    }
}
