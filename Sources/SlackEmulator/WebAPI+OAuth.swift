import EmulatorSupport
import Foundation

extension WebAPI {
    static let oauth: [WebMethod] = [
        WebMethod("oauth.v2.access", .special, scope: nil, needsToken: false) { storage, call throws(SlackError) in
            let clientID = call["client_id"] ?? call.basicAuth?.user ?? ""
            let secret = call["client_secret"] ?? call.basicAuth?.password ?? ""
            guard let app = storage.oauthApps[clientID] else { throw SlackError("invalid_client_id") }
            guard secret == app.clientSecret else { throw SlackError("bad_client_secret") }
            let expiresAt = app.tokenRotation ? storage.clock.now().addingTimeInterval(43_200) : nil

            if call["grant_type"] == "refresh_token" {
                let presented = try call.require("refresh_token")
                // A refresh token is used once; the answer carries its successor.
                guard let grant = storage.refreshTokens.removeValue(forKey: presented), grant.clientID == clientID else {
                    throw SlackError("invalid_refresh_token")
                }
                let token = storage.issueToken(kind: grant.kind, scopes: grant.scopes, admin: storage.users[grant.userID]?.isAdmin ?? false,
                                               appID: app.appID, expiresAt: expiresAt)
                let refresh = "xoxe-1-" + storage.random.token(length: 32)
                storage.refreshTokens[refresh] = grant
                return ok(["access_token": .string(token), "token_type": .string(grant.kind == .bot ? "bot" : "user"),
                           "scope": .string(grant.scopes.joined(separator: ",")), "expires_in": 43_200,
                           "refresh_token": .string(refresh), "team": ["id": .string(storage.teamID), "name": .string(storage.teamName)]])
            }

            let code = try call.require("code")
            guard let grant = storage.codes.removeValue(forKey: code), grant.clientID == clientID,
                  grant.expiresAt > storage.clock.now() else { throw SlackError("invalid_code") }
            guard call["redirect_uri"] == nil || call["redirect_uri"] == grant.redirectURI else { throw SlackError("bad_redirect_uri") }
            let bot = storage.botUser(appID: app.appID)
            let botToken = storage.issueToken(kind: .bot, scopes: grant.scopes, admin: false, appID: app.appID, expiresAt: expiresAt)
            var answer: [String: JSON] = [
                "access_token": .string(botToken), "token_type": "bot", "scope": .string(grant.scopes.joined(separator: ",")),
                "bot_user_id": .string(bot.userID), "app_id": .string(app.appID),
                "team": ["id": .string(storage.teamID), "name": .string(storage.teamName)], "enterprise": .null, "is_enterprise_install": false,
            ]
            if app.tokenRotation {
                let refresh = "xoxe-1-" + storage.random.token(length: 32)
                storage.refreshTokens[refresh] = RefreshRecord(clientID: clientID, kind: .bot, scopes: grant.scopes, userID: bot.userID)
                answer["expires_in"] = 43_200
                answer["refresh_token"] = .string(refresh)
            }
            // The installer is the workspace's first admin: the consent page signs no one in.
            let installer = storage.userOrder.compactMap { storage.users[$0] }.first { $0.isAdmin && $0.canJoinGroups }?.id ?? ""
            var authedUser: [String: JSON] = ["id": .string(installer)]
            if !grant.userScopes.isEmpty {
                let userToken = storage.issueToken(kind: .user, scopes: grant.userScopes, admin: true, appID: app.appID, expiresAt: expiresAt)
                authedUser["scope"] = .string(grant.userScopes.joined(separator: ","))
                authedUser["access_token"] = .string(userToken)
                authedUser["token_type"] = "user"
                if app.tokenRotation {
                    let refresh = "xoxe-1-" + storage.random.token(length: 32)
                    storage.refreshTokens[refresh] = RefreshRecord(clientID: clientID, kind: .user, scopes: grant.userScopes, userID: installer)
                    authedUser["expires_in"] = 43_200
                    authedUser["refresh_token"] = .string(refresh)
                }
            }
            answer["authed_user"] = .object(authedUser)
            return ok(answer)
        },
    ]
}
