import Fluent
import Foundation
import ShiftbridgeCore
import SlackKit

extension SlackDelivery {
    /// The topic every rotation setting this channel's topic wants, joined.
    static func wantedTopic(for target: SlackTarget, outputs: [SlackOutput], facts: SlackDutyFacts, at now: Date) -> String {
        outputs.filter { $0.channel == target.reference && $0.topicTemplate != nil }
            .sorted { $0.rotation.code < $1.rotation.code }
            .compactMap { output -> String? in
                guard let template = try? SlackTemplate(output.topicTemplate ?? ""), let values = facts.values(output.$rotation.id, at: now) else { return nil }
                return template.fill(values)
            }
            .joined(separator: " | ")
    }

    /// Sets the topic when it differs. A topic someone set by hand since Shiftbridge last set
    /// it is left alone and reported, until the outputs are saved again.
    func applyTopic(_ target: SlackTarget, outputs: [SlackOutput], facts: SlackDutyFacts, pair: SlackClients.Pair) async throws {
        let now = clock.now()
        let wanted = Self.wantedTopic(for: target, outputs: outputs, facts: facts, at: now)
        var problems: [String] = []
        do {
            guard wanted.count <= SlackTemplate.maxTopicLength else {
                target.problems = "The topic is \(wanted.count) characters once filled; Slack allows \(SlackTemplate.maxTopicLength)"
                target.dirty = false
                try await target.save(on: db)
                return
            }
            let current = try await pair.bot.channel(target.reference).topic?.value ?? ""
            if let applied = target.applied, current != applied, current != wanted {
                problems.append("Topic set by hand in Slack; left alone (save the outputs to take it back)")
            } else if current != wanted {
                try await pair.bot.setTopic(target.reference, wanted)
                target.applied = wanted
                target.appliedAt = now
            } else {
                target.applied = wanted
            }
        } catch let error as SlackAPIError {
            try await failed(target, error, pair: pair)
            return
        }
        target.lastSuccessAt = now
        target.problems = problems.isEmpty ? nil : problems.joined(separator: "\n")
        target.staleSince = nil
        target.dirty = false
        target.attempts = 0
        try await target.save(on: db)
    }
}
