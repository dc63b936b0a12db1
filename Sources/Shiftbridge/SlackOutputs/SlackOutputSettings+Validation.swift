import Fluent
import Foundation
import ShiftbridgeCore
import SlackKit

extension SlackOutputSettings {
    /// Who saves outputs: an administrator may point them anywhere; an owner only where
    /// `SlackOutputPermission` allows.
    struct Editor {
        let email: String
        let isAdministrator: Bool

        init(_ user: User) {
            email = user.email
            isAdministrator = user.isAdmin
        }

        init(email: String, isAdministrator: Bool) {
            self.email = email
            self.isAdministrator = isAdministrator
        }
    }

    /// Checks the input on its own, then against Slack, then whether `editor` may set it.
    /// Throws a 422 naming the field and why, or a 403 naming what needs an administrator.
    /// Answers the cleaned input and the groups to make for this rotation.
    func validate(_ rotation: Rotation, _ input: SlackOutputsInput, editor: Editor, existing: SlackOutput?) async throws -> (SlackOutputsInput, reserve: [String]) {
        var cleaned = SlackOutputsInput()
        cleaned.on_duty_usergroup = try Self.usergroup(input.on_duty_usergroup, field: "on_duty_usergroup")
        cleaned.roster_usergroup = try Self.usergroup(input.roster_usergroup, field: "roster_usergroup")
        cleaned.permanent_members = try (input.permanent_members ?? []).map { try UserAccounts.email($0, field: "permanent_members") }
        if let channel = Self.blankToNil(input.channel) {
            guard channel.count <= 30, channel.first.map({ "CG".contains($0) }) ?? false, channel.allSatisfy({ $0.isUppercase || $0.isNumber }) else {
                throw AppError.invalidField("channel", "use the channel's id (such as C0123ABCD; in Slack: channel details → About), not its name")
            }
            cleaned.channel = channel
        }
        for (field, value) in [("topic_template", input.topic_template), ("handoff_message_template", input.handoff_message_template)] {
            guard let text = Self.blankToNil(value) else { continue }
            guard text.count <= 4000 else { throw AppError.invalidField(field, "at most 4000 characters") }
            do { _ = try SlackTemplate(text) } catch { throw AppError.invalidField(field, error.message) }
            guard cleaned.channel != nil else { throw AppError.invalidField(field, "needs a channel to go to; set channel too") }
            if field == "topic_template" { cleaned.topic_template = text } else { cleaned.handoff_message_template = text }
        }
        if let minutes = input.dm_before_minutes {
            guard (1...1440).contains(minutes) else { throw AppError.invalidField("dm_before_minutes", "from 1 to 1440 minutes, or null for no direct messages") }
            cleaned.dm_before_minutes = minutes
        }
        if let template = cleaned.topic_template {
            let facts = try await SlackDutyFacts.load([rotation], duty: duty, on: db)
            if let values = facts.values(try rotation.requireID(), at: clock.now()) {
                let filled = try SlackTemplate(template).fill(values)
                guard filled.count <= SlackTemplate.maxTopicLength else {
                    throw AppError.invalidField("topic_template", "is \(filled.count) characters once filled; Slack allows \(SlackTemplate.maxTopicLength) in a topic")
                }
            }
        }
        guard cleaned != SlackOutputsInput(permanent_members: []) && cleaned != SlackOutputsInput() else { return (cleaned, []) }
        let (pair, groups) = try await checkReach(cleaned)
        let permission = try await permission(rotation, cleaned, editor: editor, existing: existing, pair: pair, groups: groups)
        guard permission.refusals.isEmpty else {
            throw AppError(.forbidden, code: "needs_administrator", permission.refusals.joined(separator: "; "))
        }
        return (cleaned, permission.reserve)
    }

    /// The channel and groups must be reachable with the stored token. Answers the clients and
    /// the workspace's groups (read once, when a group is named).
    private func checkReach(_ input: SlackOutputsInput) async throws -> (SlackClients.Pair, [SlackUsergroup]) {
        guard let pair = try await clients.clients() else {
            throw AppError(.conflict, code: "not_connected", "Slack is not connected. Connect it under Settings → Integrations first.")
        }
        if pair.connection.freePlan, input.on_duty_usergroup != nil || input.roster_usergroup != nil {
            throw AppError.invalidField(input.on_duty_usergroup != nil ? "on_duty_usergroup" : "roster_usergroup",
                                        "\(pair.connection.teamName) is on Slack's free plan, which has no user groups")
        }
        do {
            if let channel = input.channel {
                let found = try await pair.bot.channel(channel)
                if input.topic_template != nil, found.is_member == false {
                    throw AppError.invalidField("channel", "the Shiftbridge app is not in #\(found.name ?? channel); invite it (/invite @Shiftbridge) so it can set the topic")
                }
                if found.is_archived == true { throw AppError.invalidField("channel", "#\(found.name ?? channel) is archived") }
            }
            // A handle is created when missing; only a group named by id must exist already.
            guard input.on_duty_usergroup != nil || input.roster_usergroup != nil else { return (pair, []) }
            let existing = try await pair.bot.usergroups(includeUsers: false)
            for (field, reference) in [("on_duty_usergroup", input.on_duty_usergroup), ("roster_usergroup", input.roster_usergroup)] {
                guard let reference, reference.first == "S", reference == reference.uppercased() else { continue }
                guard existing.contains(where: { $0.id == reference }) else {
                    throw AppError.invalidField(field, "no user group \(reference) in \(pair.connection.teamName); give a handle to create one, or an existing group's id")
                }
            }
            return (pair, existing)
        } catch let error as SlackAPIError {
            switch error.code {
            case "channel_not_found":
                throw AppError.invalidField("channel", "\(input.channel ?? "") cannot be seen by the Shiftbridge app: check the id, and invite the app to a private channel")
            case "plan_upgrade_required":
                throw AppError.invalidField(input.on_duty_usergroup != nil ? "on_duty_usergroup" : "roster_usergroup", "user groups need a paid Slack plan")
            case "missing_scope":
                throw AppError(.invalid, code: "missing_scope", "Slack refused: the token lacks a scope (\(error.description)); reinstall the app with the scopes listed under Settings → Integrations")
            default:
                throw AppError(.upstream, code: "slack_unreachable", "Slack could not be asked whether the channel and groups exist: \(error)")
            }
        }
    }

    /// Reads what `SlackOutputPermission` decides from: the groups made for this rotation and
    /// those claimed by others, the owner's channel membership, the rotation's people.
    private func permission(_ rotation: Rotation, _ input: SlackOutputsInput, editor: Editor, existing: SlackOutput?, pair: SlackClients.Pair,
                            groups: [SlackUsergroup]) async throws -> SlackOutputPermission {
        let rotationID = try rotation.requireID()
        let targets = try await SlackTarget.query(on: db).filter(\.$kind == .usergroup).all()
        let others = try await SlackOutput.query(on: db).filter(\.$rotation.$id != rotationID).all()
        let madeHere = Set(targets.filter { $0.createdForRotationID == rotationID }.map { $0.reference.lowercased() })
        let claimed = Set(targets.filter { $0.createdForRotationID.map { $0 != rotationID } ?? false }.map { $0.reference.lowercased() })
            .union(others.flatMap { [$0.onDutyUsergroup, $0.rosterUsergroup].compactMap { $0?.lowercased() } })
        let inSlack = Set(groups.flatMap { [$0.id.lowercased(), $0.handle.lowercased()] })
        var ownerInChannel: Bool?
        if !editor.isAdministrator, let channel = input.channel, channel != existing?.channel,
           let slackID = try await SlackMember.query(on: db).filter(\.$email == editor.email).filter(\.$eligible == true).first()?.slackID {
            do {
                ownerInChannel = try await pair.bot.channelMembers(channel).contains(slackID)
            } catch let error as SlackAPIError {
                throw AppError(.upstream, code: "slack_unreachable", "Slack could not be asked who is in \(channel): \(error)")
            }
        }
        var roster = Set(try await SlackDutyFacts.load([rotation], duty: duty, on: db).rosters[rotationID] ?? [])
        for owner in try await RotationOwner.query(on: db).filter(\.$rotation.$id == rotationID).with(\.$user).all() { roster.insert(owner.user.email) }
        return SlackOutputPermission.decide(
            groups: [.init(field: "on_duty_usergroup", wanted: input.on_duty_usergroup, previous: existing?.onDutyUsergroup),
                     .init(field: "roster_usergroup", wanted: input.roster_usergroup, previous: existing?.rosterUsergroup)],
            channel: (input.channel, existing?.channel), permanentMembers: (input.permanent_members ?? [], (try existing?.permanentMembers) ?? []),
            facts: .init(isAdministrator: editor.isAdministrator, madeForThisRotation: madeHere, claimedElsewhere: claimed, inSlack: inSlack,
                         ownerInChannel: ownerInChannel, roster: roster))
    }

    static func usergroup(_ raw: String?, field: String) throws -> String? {
        guard let text = blankToNil(raw) else { return nil }
        let handle = text.hasPrefix("@") ? String(text.dropFirst()) : text
        guard (1...80).contains(handle.count), handle.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), handle.allSatisfy(\.isASCII) else {
            throw AppError.invalidField(field, "a handle such as platform-oncall (letters, digits, - _ .) or a group id such as S0123ABCD")
        }
        return handle.first == "S" && handle == handle.uppercased() ? handle : handle.lowercased()
    }

    static func blankToNil(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
