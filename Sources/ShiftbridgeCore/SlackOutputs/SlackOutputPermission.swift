import Foundation

/// Which Slack outputs a rotation's owner may set without an administrator: user groups
/// Shiftbridge made for this rotation (or new handles it will make for it), channels the
/// owner is in, and permanent members who belong to the rotation. A value left as it was is
/// always allowed; administrators may set anything. Pure: the caller reads the facts from
/// Slack and the database, decides here, then saves.
public struct SlackOutputPermission: Sendable, Equatable {
    /// A user group field as asked for and as it was (lowercased handles or ids).
    public struct GroupChange: Sendable, Equatable {
        public var field: String
        public var wanted: String?
        public var previous: String?
        public init(field: String, wanted: String?, previous: String?) {
            self.field = field
            self.wanted = wanted
            self.previous = previous
        }
    }

    public struct Facts: Sendable, Equatable {
        public var isAdministrator: Bool
        /// Groups (lowercased handle or id) Shiftbridge made, or will make, for this rotation.
        public var madeForThisRotation: Set<String>
        /// Groups any other rotation names or had made for it.
        public var claimedElsewhere: Set<String>
        /// Groups that exist in Slack, by lowercased handle and id (disabled ones included).
        public var inSlack: Set<String>
        /// Whether the owner is a member of the channel asked for (nil: no channel asked for,
        /// or the owner is not linked to Slack).
        public var ownerInChannel: Bool?
        /// The rotation's members and owners, by email.
        public var roster: Set<String>

        public init(isAdministrator: Bool, madeForThisRotation: Set<String>, claimedElsewhere: Set<String>, inSlack: Set<String>,
                    ownerInChannel: Bool?, roster: Set<String>) {
            self.isAdministrator = isAdministrator
            self.madeForThisRotation = madeForThisRotation
            self.claimedElsewhere = claimedElsewhere
            self.inSlack = inSlack
            self.ownerInChannel = ownerInChannel
            self.roster = roster
        }
    }

    /// Why each refused value needs an administrator; empty when everything may be saved.
    public let refusals: [String]
    /// Groups to make for this rotation (new handles that exist nowhere yet).
    public let reserve: [String]

    public init(refusals: [String], reserve: [String]) {
        self.refusals = refusals
        self.reserve = reserve
    }

    public static func decide(groups: [GroupChange], channel: (wanted: String?, previous: String?), permanentMembers: (wanted: [String], previous: [String]),
                              facts: Facts) -> SlackOutputPermission {
        var refusals: [String] = []
        var reserve: [String] = []
        for change in groups {
            guard let wanted = change.wanted?.lowercased() else { continue }
            let isNew = !facts.inSlack.contains(wanted) && !facts.claimedElsewhere.contains(wanted)
            if isNew && !facts.madeForThisRotation.contains(wanted) { reserve.append(wanted) }
            guard !facts.isAdministrator, wanted != change.previous?.lowercased() else { continue }
            if !facts.madeForThisRotation.contains(wanted) && !isNew {
                refusals.append("\(change.field): @\(wanted) is a user group Shiftbridge did not make for this rotation; only an administrator may point a rotation at it (or name a new handle)")
            }
        }
        if !facts.isAdministrator, let wanted = channel.wanted, wanted != channel.previous {
            switch facts.ownerInChannel {
            case true?: break
            case false?: refusals.append("channel: you are not a member of \(wanted) in Slack; only an administrator may send a rotation's messages to a channel you are not in")
            case nil: refusals.append("channel: your account is not linked to a Slack member, so your channels are unknown; ask an administrator")
            }
        }
        if !facts.isAdministrator {
            let outsiders = Set(permanentMembers.wanted).subtracting(permanentMembers.previous).subtracting(facts.roster).sorted()
            if !outsiders.isEmpty {
                refusals.append("permanent_members: \(outsiders.joined(separator: ", ")) \(outsiders.count == 1 ? "is" : "are") not in this rotation; only an administrator may add people from outside it")
            }
        }
        return SlackOutputPermission(refusals: refusals, reserve: reserve)
    }
}
