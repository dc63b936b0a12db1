import EmulatorSupport
import Foundation

/// What tests, benchmarks and the demo read back, and set up, without going through HTTP.
extension SlackWorkspace {
    public struct GroupSnapshot: Sendable, Equatable {
        public let id: String
        public let handle: String
        public let users: [String]
        public let enabled: Bool
        /// How many times the member list was replaced (members are notified each time).
        public let memberUpdates: Int
    }

    public func group(handle: String) -> GroupSnapshot? {
        withStorage { storage in
            storage.groups.values.first { $0.handle == handle }.map {
                GroupSnapshot(id: $0.id, handle: $0.handle, users: $0.users, enabled: $0.isEnabled, memberUpdates: $0.memberUpdates)
            }
        }
    }

    public func topic(channel: String) -> String? { withStorage { $0.channels[channel]?.topic } }

    public func messages(channel: String) -> [String] { withStorage { $0.channels[channel]?.messages.map(\.text) ?? [] } }

    /// Direct messages sent to `user`, oldest first.
    public func directMessages(to user: String) -> [String] {
        withStorage { storage in
            storage.channels.values.filter { $0.isIM && $0.members.contains(user) }.flatMap { channel in
                channel.messages.filter { $0.user != user }
            }.sorted { $0.ts < $1.ts }.map(\.text)
        }
    }

    /// Calls received, by method (all methods when nil).
    public func calls(_ method: String? = nil) -> Int {
        withStorage { storage in method.map { storage.stats.byMethod[$0] ?? 0 } ?? storage.stats.total }
    }

    @discardableResult
    public func addUser(name: String, email: String?, isBot: Bool = false, isRestricted: Bool = false, isAdmin: Bool = false, deleted: Bool = false) -> String {
        withStorage { $0.addUser(name: name, email: email, isBot: isBot, isRestricted: isRestricted, isAdmin: isAdmin, deleted: deleted).id }
    }

    public func addChannel(name: String, isPrivate: Bool = false, botMember: Bool = true) -> String {
        withStorage { storage in
            storage.addChannel(name: name, isPrivate: isPrivate, members: botMember ? Set(storage.botUsers.values) : []).id
        }
    }

    /// Puts `user` in a channel, as joining it in Slack would.
    public func join(channel: String, user: String) {
        withStorage { _ = $0.channels[channel]?.members.insert(user) }
    }

    public func addGroup(handle: String, users: [String]) -> String {
        withStorage { storage in
            let now = storage.nowSeconds
            let group = WorkspaceGroup(id: storage.makeID("S"), name: handle, handle: handle, users: users, created: now, updated: now,
                                       createdBy: storage.userOrder.first ?? "", updatedBy: storage.userOrder.first ?? "")
            storage.groups[group.id] = group
            storage.groupOrder.append(group.id)
            return group.id
        }
    }

    /// Replaces a group's members as a person in Slack would.
    public func editGroupByHand(handle: String, users: [String]) {
        withStorage { storage in
            guard let id = storage.groups.values.first(where: { $0.handle == handle })?.id else { return }
            storage.groups[id]?.users = users
        }
    }

    public func setTopicByHand(channel: String, _ topic: String) {
        withStorage { $0.channels[channel]?.topic = topic }
    }

    public func setSettings(usergroupEditors: String? = nil, plan: String? = nil, rateWindowSeconds: Double? = nil) {
        withStorage { storage in
            if let editors = usergroupEditors.flatMap(WorkspaceSettings.Editors.init(rawValue:)) { storage.settings.usergroupEditors = editors }
            if let plan = plan.flatMap(WorkspaceSettings.Plan.init(rawValue:)) { storage.settings.plan = plan }
            if let window = rateWindowSeconds { storage.settings.rateWindowSeconds = window }
        }
    }

    /// Calls (of the methods named, or all) fail as `kinds` say, `rate` of the time; `after`:
    /// the call takes effect and its answer is lost. nil heals.
    public func setFaults(rate: Double?, kinds: [String] = ["500"], methods: [String] = [], after: Bool = false) {
        withStorage { storage in
            storage.faults = rate.map { FaultPlan(rate: $0, kinds: kinds.compactMap(FaultPlan.Kind.init(rawValue:)), paths: methods, after: after) }
        }
    }

    /// Sets the workspace's clock (message timestamps follow it), still running.
    public func setClock(_ date: Date) {
        withStorage { $0.clock.set(date, frozen: false) }
    }

    /// Registers an OAuth app; returns its client id, secret and signing secret.
    public func createOAuthApp(redirectURI: String, tokenRotation: Bool = false) -> (clientID: String, clientSecret: String, signingSecret: String) {
        withStorage { storage in
            let app = OAuthAppRecord(appID: storage.makeID("A"), clientID: "\(storage.random.next() % 9_000_000_000 + 1_000_000_000).\(storage.random.next() % 9_000_000_000 + 1_000_000_000)",
                                     clientSecret: storage.random.hex(length: 32), signingSecret: storage.random.hex(length: 32),
                                     redirectURI: redirectURI, tokenRotation: tokenRotation)
            storage.oauthApps[app.clientID] = app
            return (app.clientID, app.clientSecret, app.signingSecret)
        }
    }

    public func revoke(token: String) { withStorage { $0.tokens[token]?.revoked = true } }
}

extension SlackWorkspace {
    /// A channel's id by name.
    public func channel(named name: String) -> String? {
        withStorage { $0.channels.values.first { $0.name == name && !$0.isIM }?.id }
    }
}

extension SlackWorkspace {
    /// Calls received, by method.
    public var callsByMethod: [String: Int] { withStorage { $0.stats.byMethod } }

    /// How many calls were answered 429.
    public var rateLimitedCount: Int { withStorage { $0.stats.byError["ratelimited"] ?? 0 } }
}
