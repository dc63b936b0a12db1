import Fluent
import Foundation
import ShiftbridgeCore
import SlackKit

extension SlackDelivery {
    /// Who a group should hold: everyone on duty in each rotation naming it as its on-duty
    /// group (plus their permanent members), and every member of each rotation naming it as
    /// its roster group. Unlinked people are reported, never a reason to stop.
    struct WantedMembers {
        var ids: Set<String> = []
        var unlinked: Set<String> = []
        var staleSince: Date?
    }

    /// Throws when an output feeding the group cannot be read: the group is then left alone.
    static func wanted(for target: SlackTarget, outputs: [SlackOutput], facts: SlackDutyFacts, at now: Date) throws -> WantedMembers {
        var wanted = WantedMembers()
        func add(_ email: String) {
            if let id = facts.links[email] { wanted.ids.insert(id) } else { wanted.unlinked.insert(email) }
        }
        for output in outputs {
            let rotationID = output.$rotation.id
            if output.onDutyUsergroup.map(SlackTargetKey.usergroup) == target.typedKey {
                let duty = facts.onDuty(rotationID, at: now)
                duty.emails.forEach(add)
                try output.permanentMembers.forEach(add)
                if let stale = duty.stale { wanted.staleSince = min(wanted.staleSince ?? stale, stale) }
            }
            if output.rosterUsergroup.map(SlackTargetKey.usergroup) == target.typedKey {
                (facts.rosters[rotationID] ?? []).forEach(add)
            }
        }
        return wanted
    }

    func applyGroup(_ target: SlackTarget, groups: [SlackUsergroup], outputs: [SlackOutput], facts: SlackDutyFacts, pair: SlackClients.Pair) async throws {
        let now = clock.now()
        var wanted: WantedMembers
        let lastApplied: Set<String>?
        do {
            wanted = try Self.wanted(for: target, outputs: outputs, facts: facts, at: now)
            lastApplied = try target.appliedMembers
        } catch let error as UnreadableRecord {
            // What the group should hold is not known: it keeps what it has, and says why.
            target.problems = error.description
            target.staleSince = target.staleSince ?? now
            target.dirty = false
            try await target.save(on: db)
            unreadable.skip(error, by: "slack-delivery")
            return
        }
        // A rotation whose PagerDuty read failed may add people, never take them away.
        if wanted.staleSince != nil, let applied = lastApplied { wanted.ids.formUnion(applied) }
        let reference = target.reference
        let existing = groups.first { $0.id == (target.slackID ?? "") || $0.id == reference || $0.handle.lowercased() == reference.lowercased() }
        let decision = UsergroupDecision.decide(wanted: wanted.ids, current: existing.map { (Set($0.users ?? []), $0.isEnabled) },
                                                lastApplied: lastApplied)
        let members = wanted.ids.sorted()
        var group = existing
        do {
            switch decision.action {
            case .none: break
            case .create:
                let created = try await pair.groupEditor.createUsergroup(name: reference, handle: reference)
                group = try await pair.groupEditor.updateUsergroupMembers(created.id, users: members)
            case .enable(let thenUpdate):
                group = try await pair.groupEditor.enableUsergroup(existing!.id)
                if thenUpdate { group = try await pair.groupEditor.updateUsergroupMembers(existing!.id, users: members) }
            case .update:
                group = try await pair.groupEditor.updateUsergroupMembers(existing!.id, users: members)
            case .disable:
                group = try await pair.groupEditor.disableUsergroup(existing!.id)
            }
        } catch let error as SlackAPIError {
            try await failed(target, error, pair: pair)
            return
        }
        if decision.action != .none {
            pair.connection.groupEditsDenied = false
            pair.connection.freePlan = false
            try await pair.connection.save(on: db)
            target.appliedAt = now
        }
        var problems: [String] = []
        if !wanted.unlinked.isEmpty { problems.append("Not linked to Slack: \(wanted.unlinked.sorted().joined(separator: ", "))") }
        if decision.drifted { problems.append("Edited by hand in Slack; put back at \(SlackDutyFacts.format(now, zone: .gmt))") }
        if let stale = wanted.staleSince { problems.append("PagerDuty stale since \(SlackDutyFacts.format(stale, zone: .gmt)); nobody removed") }
        if existing == nil && wanted.ids.isEmpty { problems.append("Nobody on duty: the group will be created at the next duty") }
        target.slackID = group?.id ?? target.slackID
        target.applied = String(decoding: try JSONEncoder().encode(members), as: UTF8.self)
        target.lastSuccessAt = now
        target.problems = problems.isEmpty ? nil : problems.joined(separator: "\n")
        target.staleSince = wanted.staleSince
        target.dirty = false
        target.attempts = 0
        try await target.save(on: db)
    }
}
