import EmulatorSupport
import Foundation
import NIOConcurrencyHelpers

/// One emulated Slack workspace, behind one lock. Handlers take the lock briefly and never
/// await while holding it.
public final class SlackWorkspace: Sendable {
    struct Storage: Sendable {
        var teamID = "T0SHIFTBRG"
        var teamName = "Shiftbridge Demo"
        var users: [String: WorkspaceUser] = [:]
        var userOrder: [String] = []
        var channels: [String: WorkspaceChannel] = [:]
        var groups: [String: WorkspaceGroup] = [:]
        var groupOrder: [String] = []
        var tokens: [String: TokenRecord] = [:]
        var oauthApps: [String: OAuthAppRecord] = [:]
        var codes: [String: OAuthCode] = [:]
        var refreshTokens: [String: RefreshRecord] = [:]
        /// The app's bot user, per app id.
        var botUsers: [String: String] = [:]
        var settings = WorkspaceSettings()
        var clock = EmulatorClock()
        var faults: FaultPlan?
        var stats = CallStats()
        var rateWindows: [String: RateWindow] = [:]
        var random = SeededGenerator(seed: 7)
        var lastTimestamp = 0.0

        /// A Slack-shaped id: the prefix and ten upper-case letters and digits.
        mutating func makeID(_ prefix: String) -> String {
            let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
            return prefix + String((0..<10).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
        }

        var nowSeconds: Int { Int(clock.now().timeIntervalSince1970) }

        /// A message timestamp, unique and increasing: `1700000000.000100`.
        mutating func nextTimestamp() -> String {
            lastTimestamp = max(lastTimestamp + 0.0001, clock.now().timeIntervalSince1970)
            return String(format: "%.6f", lastTimestamp)
        }

        @discardableResult
        mutating func addUser(name: String, email: String?, isBot: Bool = false, isRestricted: Bool = false, isUltraRestricted: Bool = false,
                              isAdmin: Bool = false, deleted: Bool = false, id: String? = nil) -> WorkspaceUser {
            let handle = email.map { String($0.prefix { $0 != "@" }) } ?? name.lowercased().replacingOccurrences(of: " ", with: ".")
            let user = WorkspaceUser(id: id ?? makeID("U"), name: handle, realName: name, email: email, isBot: isBot, isRestricted: isRestricted,
                                     isUltraRestricted: isUltraRestricted, isAdmin: isAdmin, deleted: deleted, updated: nowSeconds)
            users[user.id] = user
            userOrder.append(user.id)
            return user
        }

        mutating func addChannel(name: String, isPrivate: Bool, members: Set<String>) -> WorkspaceChannel {
            let channel = WorkspaceChannel(id: makeID("C"), name: name, isPrivate: isPrivate, created: nowSeconds,
                                           creator: userOrder.first ?? "", members: members)
            channels[channel.id] = channel
            return channel
        }

        /// The bot user an app's bot tokens act as, made on first use.
        mutating func botUser(appID: String) -> (userID: String, botID: String) {
            if let id = botUsers[appID], let user = users[id], let botID = user.botID { return (id, botID) }
            var user = addUser(name: "Shiftbridge", email: nil, isBot: true)
            user.name = "shiftbridge"
            user.isAppUser = false
            user.botID = makeID("B")
            users[user.id] = user
            botUsers[appID] = user.id
            // Slack adds an installed app's bot to the channels it is invited to; the
            // emulator's seeded channels invite it, so the demo works out of the box.
            for id in channels.keys where !channels[id]!.isIM { channels[id]!.members.insert(user.id) }
            return (user.id, user.botID!)
        }

        /// Issues a token as an install would.
        mutating func issueToken(kind: TokenRecord.Kind, scopes: [String], admin: Bool, appID: String, expiresAt: Date? = nil) -> String {
            let token: String
            let record: TokenRecord
            switch kind {
            case .bot:
                let bot = botUser(appID: appID)
                token = "xoxb-\(teamID.dropFirst())-" + random.token(length: 24)
                record = TokenRecord(kind: .bot, scopes: Set(scopes), userID: bot.userID, appID: appID, botID: bot.botID, expiresAt: expiresAt)
            case .user:
                let installer = userOrder.compactMap { users[$0] }
                    .first { $0.isAdmin == admin && $0.canJoinGroups }?.id
                    ?? addUser(name: admin ? "Workspace Admin" : "Installer", email: admin ? "slack-admin@\(DemoPeople.domain)" : "installer@\(DemoPeople.domain)",
                               isAdmin: admin).id
                token = "xoxp-\(teamID.dropFirst())-" + random.token(length: 24)
                record = TokenRecord(kind: .user, scopes: Set(scopes), userID: installer, appID: appID, expiresAt: expiresAt)
            }
            tokens[token] = record
            return token
        }
    }

    let storage: NIOLockedValueBox<Storage>

    public enum Seed: String, Sendable, CaseIterable { case empty, demo }

    public init(seed: Seed = .empty) {
        var storage = Storage()
        SlackSeeds.load(seed, into: &storage)
        self.storage = NIOLockedValueBox(storage)
    }

    func withStorage<T>(_ body: (inout Storage) throws -> T) rethrows -> T {
        try storage.withLockedValue { try body(&$0) }
    }

    public var now: Date { storage.withLockedValue { $0.clock.now() } }

    public func reset(seed: Seed) {
        storage.withLockedValue { storage in
            let keep = storage.clock
            storage = Storage()
            storage.clock = keep
            SlackSeeds.load(seed, into: &storage)
        }
    }

    /// Issues a token for the default app: what `POST /_emulator/tokens` does.
    public func createToken(kind: String, scopes: [String], admin: Bool = false) -> String? {
        guard let kind = TokenRecord.Kind(rawValue: kind) else { return nil }
        return storage.withLockedValue { $0.issueToken(kind: kind, scopes: scopes, admin: admin, appID: SlackSeeds.defaultAppID) }
    }

    /// Every scope the product asks for, as an install granting them all would.
    public static let productScopes = ["usergroups:read", "usergroups:write", "users:read", "users:read.email", "channels:read", "groups:read",
                                       "channels:manage", "groups:write", "chat:write", "chat:write.public", "im:write", "commands",
                                       "channels:history", "groups:history", "im:history"]
}
