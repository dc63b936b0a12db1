import Fluent
import Foundation
import ShiftbridgeCore
import SlackKit

extension SlackDelivery {
    /// Slack's answers that no retry will change.
    static let permanentErrors: Set<String> = ["channel_not_found", "not_in_channel", "is_archived", "msg_too_long", "no_text", "user_not_found",
                                               "user_disabled", "cannot_dm_bot"]

    /// Posts queued messages, oldest first, each at most once: after an answer that was lost
    /// (Slack may have taken the message), the channel is read for it before it is posted
    /// again; when the channel cannot be read, the message is given up rather than doubled.
    func sendMessages(_ pair: SlackClients.Pair) async throws {
        let now = clock.now()
        let due = try await SlackMessage.query(on: db).filter(\.$status == .pending).filter(\.$nextAttemptAt <= now)
            .sort(\.$createdAt).limit(50).all()
        guard !due.isEmpty else { return }
        let links = try await SlackDirectory.links(on: db)
        for message in due {
            let attemptedAt = clock.now()
            var posting = false
            do {
                let channel: String
                if let target = message.channel {
                    channel = target
                } else {
                    guard let email = message.recipientEmail, let user = links[email] else {
                        message.status = .failed
                        message.lastError = "\(message.recipientEmail ?? "The recipient") is not linked to a Slack member"
                        try await message.save(on: db)
                        continue
                    }
                    channel = try await pair.bot.openDirectMessage(with: user)
                }
                if let uncertain = message.uncertainSince {
                    if try await Self.alreadyPosted(message, in: channel, since: uncertain, pair: pair) {
                        markSent(message)
                        try await message.save(on: db)
                        continue
                    }
                }
                posting = true
                try await pair.bot.postMessage(channel, text: message.text)
                markSent(message)
            } catch let error as SlackAPIError {
                message.attempts += 1
                message.lastError = error.description
                if posting, error.mayHaveBeenActedOn, message.uncertainSince == nil {
                    // Slack may hold it: the next attempt looks before it posts.
                    message.uncertainSince = attemptedAt
                }
                if case .rateLimited(_, let retryAfter) = error {
                    message.nextAttemptAt = now.addingTimeInterval(retryAfter)
                } else if !posting, message.uncertainSince != nil, ["not_in_channel", "missing_scope", "channel_not_found"].contains(error.code ?? "") {
                    message.status = .failed
                    message.lastError = "Slack's answer to this message was lost and the channel cannot be read to see whether it arrived (\(error.description)); "
                        + "it is not posted again, so it is never posted twice"
                } else if let code = error.code, Self.permanentErrors.contains(code) || message.attempts >= 10 {
                    message.status = .failed
                } else if error.isAuthenticationFailure || message.attempts >= 10 {
                    message.status = .failed
                } else {
                    message.nextAttemptAt = now.addingTimeInterval(min(600, 5 * pow(2, Double(message.attempts))))
                }
            }
            try await message.save(on: db)
        }
    }

    private func markSent(_ message: SlackMessage) {
        message.status = .sent
        message.sentAt = clock.now()
        message.lastError = nil
    }

    /// Whether the app posted `message` in `channel` since (a little before) `since`.
    static func alreadyPosted(_ message: SlackMessage, in channel: String, since: Date, pair: SlackClients.Pair) async throws -> Bool {
        let recent = try await pair.bot.messages(in: channel, since: since.addingTimeInterval(-60))
        return recent.contains { $0.text == message.text && ($0.user == pair.connection.botUserID || $0.bot_id != nil) }
    }

    /// Direct messages to whoever's duty begins within each rotation's `dm_before_minutes`,
    /// queued once per person per duty start.
    func queueReminders() async throws {
        let now = clock.now()
        let outputs = try await SlackOutput.query(on: db).filter(\.$dmBeforeMinutes != nil).with(\.$rotation).all()
        guard !outputs.isEmpty else { return }
        let facts = try await SlackDutyFacts.load(outputs.map(\.rotation), duty: duty, on: db)
        for output in outputs {
            let rotationID = output.$rotation.id
            let current = facts.onDuty(rotationID, at: now)
            guard let minutes = output.dmBeforeMinutes, let start = current.until, start.timeIntervalSince(now) <= Double(minutes) * 60 else { continue }
            let coming = facts.onDuty(rotationID, at: start)
            for email in coming.emails where !current.emails.contains(email) {
                let key = "dm:\(rotationID):\(email):\(Int(start.timeIntervalSince1970))"
                guard try await SlackMessage.query(on: db).filter(\.$dedupeKey == key).first() == nil else { continue }
                let rotation = output.rotation
                let message = SlackMessage(directTo: email, text: "Your duty on \(SlackTemplate.escape(rotation.name)) (\(SlackTemplate.escape(rotation.code))) begins at "
                    + SlackTemplate.escape(SlackDutyFacts.format(start, zone: facts.zones[rotationID] ?? .gmt)) + ".", dedupeKey: key, at: now)
                message.rotationID = rotationID
                try await message.create(on: db)
            }
        }
    }
}
