import Foundation

extension SlackClient {
    public func authTest() async throws -> SlackIdentity {
        struct Body: Decodable { let team_id: String; let team: String; let user_id: String; let bot_id: String? }
        let answer = try await call("auth.test")
        let body = try decode(Body.self, answer, "auth.test")
        return SlackIdentity(teamID: body.team_id, team: body.team, userID: body.user_id, botID: body.bot_id, scopes: answer.scopes ?? [])
    }

    /// Every member of the workspace, 200 a page. A page that fails fails the whole read:
    /// never act on part of the list.
    public func allUsers(pageSize: Int = 200) async throws -> [SlackUser] {
        struct Page: Decodable {
            struct Metadata: Decodable { let next_cursor: String? }
            let members: [SlackUser]
            let response_metadata: Metadata?
        }
        var users: [SlackUser] = []
        var cursor = ""
        for _ in 0..<10_000 {
            var arguments = [("limit", String(pageSize))]
            if !cursor.isEmpty { arguments.append(("cursor", cursor)) }
            let page = try decode(Page.self, try await call("users.list", arguments), "users.list")
            users += page.members
            cursor = page.response_metadata?.next_cursor ?? ""
            if cursor.isEmpty { return users }
        }
        throw SlackAPIError.malformedResponse("users.list: the cursor never ended")
    }

    public func usergroups(includeUsers: Bool = true, includeDisabled: Bool = true) async throws -> [SlackUsergroup] {
        struct Body: Decodable { let usergroups: [SlackUsergroup] }
        let answer = try await call("usergroups.list", [("include_users", String(includeUsers)), ("include_disabled", String(includeDisabled))])
        return try decode(Body.self, answer, "usergroups.list").usergroups
    }

    public func createUsergroup(name: String, handle: String) async throws -> SlackUsergroup {
        try await usergroupCall("usergroups.create", [("name", name), ("handle", handle)])
    }

    /// Replaces the group's members. Slack refuses an empty list: disable the group instead.
    public func updateUsergroupMembers(_ id: String, users: [String]) async throws -> SlackUsergroup {
        try await usergroupCall("usergroups.users.update", [("usergroup", id), ("users", users.joined(separator: ","))])
    }

    public func disableUsergroup(_ id: String) async throws -> SlackUsergroup {
        try await usergroupCall("usergroups.disable", [("usergroup", id)])
    }

    public func enableUsergroup(_ id: String) async throws -> SlackUsergroup {
        try await usergroupCall("usergroups.enable", [("usergroup", id)])
    }

    private func usergroupCall(_ method: String, _ arguments: [(String, String)]) async throws -> SlackUsergroup {
        struct Body: Decodable { let usergroup: SlackUsergroup }
        return try decode(Body.self, try await call(method, arguments), method).usergroup
    }

    public func channel(_ id: String) async throws -> SlackChannel {
        struct Body: Decodable { let channel: SlackChannel }
        return try decode(Body.self, try await call("conversations.info", [("channel", id)]), "conversations.info").channel
    }

    public func setTopic(_ channel: String, _ topic: String) async throws {
        _ = try await call("conversations.setTopic", [("channel", channel), ("topic", topic)])
    }

    /// Opens (or finds) the direct-message conversation with `user`.
    public func openDirectMessage(with user: String) async throws -> String {
        struct Body: Decodable { struct Channel: Decodable { let id: String }; let channel: Channel }
        return try decode(Body.self, try await call("conversations.open", [("users", user)]), "conversations.open").channel.id
    }

    /// Every member of a channel the app can see, read whole (a page that fails fails the read).
    public func channelMembers(_ channel: String, pageSize: Int = 200) async throws -> [String] {
        struct Page: Decodable {
            struct Metadata: Decodable { let next_cursor: String? }
            let members: [String]
            let response_metadata: Metadata?
        }
        var members: [String] = []
        var cursor = ""
        for _ in 0..<10_000 {
            var arguments = [("channel", channel), ("limit", String(pageSize))]
            if !cursor.isEmpty { arguments.append(("cursor", cursor)) }
            let page = try decode(Page.self, try await call("conversations.members", arguments), "conversations.members")
            members += page.members
            cursor = page.response_metadata?.next_cursor ?? ""
            if cursor.isEmpty { return members }
        }
        throw SlackAPIError.malformedResponse("conversations.members: the cursor never ended")
    }

    /// The channel's messages since `oldest` (newest first), every page: how a message whose
    /// answer was lost is looked for before it is posted again.
    public func messages(in channel: String, since oldest: Date) async throws -> [SlackMessageRecord] {
        struct Page: Decodable {
            struct Metadata: Decodable { let next_cursor: String? }
            let messages: [SlackMessageRecord]
            let has_more: Bool?
            let response_metadata: Metadata?
        }
        var messages: [SlackMessageRecord] = []
        var cursor = ""
        for _ in 0..<1_000 {
            var arguments = [("channel", channel), ("oldest", String(format: "%.6f", oldest.timeIntervalSince1970)), ("limit", "200")]
            if !cursor.isEmpty { arguments.append(("cursor", cursor)) }
            let page = try decode(Page.self, try await call("conversations.history", arguments), "conversations.history")
            messages += page.messages
            cursor = page.response_metadata?.next_cursor ?? ""
            if cursor.isEmpty || page.has_more == false { return messages }
        }
        throw SlackAPIError.malformedResponse("conversations.history: the cursor never ended")
    }

    /// Posts `text` (already escaped as Slack requires); returns the message's `ts`.
    @discardableResult
    public func postMessage(_ channel: String, text: String) async throws -> String {
        struct Body: Decodable { let ts: String }
        return try decode(Body.self, try await call("chat.postMessage", [("channel", channel), ("text", text)], idempotent: false), "chat.postMessage").ts
    }

    /// Exchanges an install's code for tokens.
    public func exchangeCode(clientID: String, clientSecret: String, code: String, redirectURI: String) async throws -> SlackOAuthGrant {
        let answer = try await call("oauth.v2.access", [("code", code), ("redirect_uri", redirectURI)], idempotent: false, basicAuth: (clientID, clientSecret))
        return try decode(SlackOAuthGrant.self, answer, "oauth.v2.access")
    }

    /// Renews a rotating token; the refresh token is replaced too.
    public func refresh(clientID: String, clientSecret: String, refreshToken: String) async throws -> SlackOAuthGrant {
        let answer = try await call("oauth.v2.access", [("grant_type", "refresh_token"), ("refresh_token", refreshToken)], idempotent: false,
                                    basicAuth: (clientID, clientSecret))
        return try decode(SlackOAuthGrant.self, answer, "oauth.v2.access")
    }
}
