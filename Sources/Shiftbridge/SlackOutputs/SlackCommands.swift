import Crypto
import Fluent
import Foundation
import ShiftbridgeCore

/// `/oncall` from Slack: who is on duty now and next, and, for owners of rotations that do
/// not follow PagerDuty, `rotate` and `set`. The caller is known by their Slack id, matched
/// to a Shiftbridge account by email; only full members count (a guest, a bot or a
/// deactivated user may look at public rotations and act on none).
struct SlackCommands {
    let db: any Database
    let clock: any AppClock
    let secrets: SecretBox
    let directory: RotationDirectory
    let duty: RotationDuty
    let editor: RotationEditor

    static let usage = "Try `/oncall`, `/oncall CODE`, `/oncall rotate CODE` or `/oncall set CODE @someone`."

    /// Verifies the request; throws `unauthorized` for anything unsigned, mis-signed, stale,
    /// or already taken (the same signed request again inside its window is a replay).
    func verify(timestamp: String?, signature: String?, body: Data) async throws {
        guard let connection = try await SlackConnection.current(on: db), let sealed = connection.sealedSigningSecret,
              SlackRequestSignature.isValid(secret: try secrets.open(sealed), timestamp: timestamp, signature: signature, body: body, now: clock.now()),
              let signature, let sent = timestamp.flatMap(TimeInterval.init)
        else { throw AppError(.unauthenticated, code: "bad_signature", "The request is not signed with the Slack app's signing secret") }
        let key = SHA256.hash(data: Data(signature.utf8)).map { String(format: "%02x", $0) }.joined()
        let expires = Date(timeIntervalSince1970: sent + SlackRequestSignature.window + 60)
        guard try await SeenRequest.firstSighting(key, until: expires, on: db) else {
            throw AppError(.unauthenticated, code: "replayed", "This signed request was already taken; Slack sends each one once")
        }
    }

    /// Answers `text` from Slack user `slackUserID`, in Slack's mrkdwn.
    func answer(_ text: String, slackUserID: String) async throws -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let caller = try await account(for: slackUserID)
        switch words.first?.lowercased() {
        case nil:
            return try await overview(caller)
        case "help":
            return Self.usage
        case "rotate":
            guard words.count == 2 else { return "Usage: `/oncall rotate CODE`" }
            let (rotation, user) = try await editable(words[1], caller)
            _ = try await editor.rotate(rotation, by: user)
            return "Rotated *\(escape(rotation.code))*. " + (try await line(rotation))
        case "set":
            guard words.count == 3 else { return "Usage: `/oncall set CODE @someone`" }
            let (rotation, user) = try await editable(words[1], caller)
            guard let mentioned = Self.mentionedID(words[2]),
                  let email = try await SlackMember.query(on: db).filter(\.$slackID == mentioned).first()?.email else {
                return "Mention someone linked to Slack, as `@name`."
            }
            _ = try await editor.setOnDuty(rotation, email: email, actor: user.email)
            return "Set on duty in *\(escape(rotation.code))*. " + (try await line(rotation))
        default:
            guard words.count == 1 else { return Self.usage }
            guard let rotation = try await visible(caller).first(where: { $0.code.lowercased() == words[0].lowercased() }) else {
                return "No rotation \(escape(words[0])) that you may see. " + Self.usage
            }
            return try await line(rotation)
        }
    }

    private func overview(_ caller: User?) async throws -> String {
        let rotations = try await visible(caller).sorted { $0.code < $1.code }
        guard !rotations.isEmpty else { return "No rotations to show." }
        var lines: [String] = []
        for rotation in rotations.prefix(30) { lines.append(try await line(rotation)) }
        return lines.joined(separator: "\n")
    }

    /// `*CODE* Name: on duty A, B until …; next C`.
    private func line(_ rotation: Rotation) async throws -> String {
        let facts = try await SlackDutyFacts.load([rotation], duty: duty, on: db)
        guard let values = facts.values(try rotation.requireID(), at: clock.now()) else { return "" }
        return try SlackTemplate("*{code}* {rotation}: on duty {on_duty} until {until}; next {next}").fill(values)
    }

    private func visible(_ caller: User?) async throws -> [Rotation] {
        if let caller { return try await directory.visible(to: caller) }
        return try await Rotation.query(on: db).filter(\.$isPublic == true).all()
    }

    private func editable(_ code: String, _ caller: User?) async throws -> (Rotation, User) {
        guard let caller else {
            throw AppError(.forbidden, code: "forbidden", "Only full members of the workspace whose Slack email matches a Shiftbridge account may change rotations; you may only look.")
        }
        let rotation = try await directory.find(code.uppercased(), for: caller)
        guard try rotation.model(members: []).canRotate else {
            throw AppError(.conflict, code: "follows_pagerduty", "\(rotation.code) follows PagerDuty; change who is on call in PagerDuty.")
        }
        try await directory.requireEditor(rotation, caller)
        return (rotation, caller)
    }

    private func account(for slackUserID: String) async throws -> User? {
        guard let email = try await SlackMember.query(on: db).filter(\.$slackID == slackUserID).filter(\.$eligible == true).first()?.email else {
            return nil
        }
        return try await User.query(on: db).filter(\.$email == email).first()
    }

    /// `<@U123|name>` or `<@U123>`, as Slack sends a mention.
    static func mentionedID(_ word: String) -> String? {
        guard word.hasPrefix("<@"), word.hasSuffix(">") else { return nil }
        return String(word.dropFirst(2).dropLast().prefix { $0 != "|" })
    }

    private func escape(_ text: String) -> String { SlackTemplate.escape(text) }
}
