import EmulatorSupport
import Foundation

extension WebAPI {
    static let users: [WebMethod] = [
        WebMethod("auth.test", .special, scope: nil) { storage, call throws(SlackError) in
            var fields: [String: JSON] = [
                "url": .string("https://shiftbridge-demo.slack.com/"), "team": .string(storage.teamName), "team_id": .string(storage.teamID),
                "user": .string(storage.users[call.caller]?.name ?? ""), "user_id": .string(call.caller), "is_enterprise_install": false,
            ]
            if let botID = call.token?.botID { fields["bot_id"] = .string(botID) }
            return ok(fields)
        },
        WebMethod("users.list", .tier2, scope: "users:read") { storage, call throws(SlackError) in
            let limit = min(max(Int(call["limit"] ?? "0") ?? 0, 0), 1000)
            let start = try offset(from: call["cursor"])
            let withEmail = call.token?.scopes.contains("users:read.email") ?? false
            let ids = storage.userOrder
            guard start <= ids.count else { throw SlackError("invalid_cursor") }
            let end = limit == 0 ? ids.count : min(ids.count, start + limit)
            let members = ids[start..<end].compactMap { storage.users[$0]?.json(teamID: storage.teamID, withEmail: withEmail) }
            return ok(["members": .array(members), "cache_ts": .int(storage.nowSeconds),
                       "response_metadata": ["next_cursor": .string(end < ids.count ? cursor(for: end) : "")]])
        },
        WebMethod("users.lookupByEmail", .tier3, scope: "users:read.email") { storage, call throws(SlackError) in
            let email = try call.require("email").lowercased()
            guard let user = storage.userOrder.compactMap({ storage.users[$0] }).first(where: { $0.email?.lowercased() == email }) else {
                throw SlackError("users_not_found")
            }
            return ok(["user": user.json(teamID: storage.teamID, withEmail: true)])
        },
    ]
}
