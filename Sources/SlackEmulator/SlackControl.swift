import EmulatorSupport
import Foundation
import Vapor

/// `/_emulator/*`: how tests, benchmarks and the demo drive the workspace. Loopback only.
struct SlackControl: Sendable {
    let workspace: SlackWorkspace

    func register(_ app: Application) {
        let control = app.grouped("_emulator").grouped(LoopbackCallers())
        control.get { _ in EmulatorPage(workspace: workspace).response() }
        control.post("reset") { req -> Response in
            let name = req.json?["seed"]?.string ?? "empty"
            guard let seed = SlackWorkspace.Seed(rawValue: name) else { return Self.bad("seed must be \"demo\" or \"empty\"") }
            workspace.reset(seed: seed)
            return Self.ok(["seed": .string(seed.rawValue)])
        }
        control.post("tokens") { req -> Response in
            let body = req.json
            let scopes = (body?["scopes"]?.array ?? []).compactMap(\.string)
            guard let token = workspace.createToken(kind: body?["type"]?.string ?? "bot", scopes: scopes, admin: body?["admin"]?.bool ?? false) else {
                return Self.bad("type must be \"bot\" or \"user\"")
            }
            return Self.ok(["token": .string(token)], status: .created)
        }
        control.delete("tokens", ":token") { req -> Response in
            let token = req.parameters.get("token") ?? ""
            let found = workspace.withStorage { storage -> Bool in
                guard storage.tokens[token] != nil else { return false }
                storage.tokens[token]?.revoked = true
                return true
            }
            return found ? Response(status: .noContent) : Self.bad("no such token", status: .notFound)
        }
        control.post("users") { req -> Response in
            guard let body = req.json, let name = body["name"]?.string, !name.isEmpty else { return Self.bad("name is required") }
            let email = body["email"]?.string
            let user = workspace.withStorage { storage in
                storage.addUser(name: name, email: email, isBot: body["is_bot"]?.bool ?? false, isRestricted: body["is_restricted"]?.bool ?? false,
                                isUltraRestricted: body["is_ultra_restricted"]?.bool ?? false, isAdmin: body["is_admin"]?.bool ?? false,
                                deleted: body["deleted"]?.bool ?? false).json(teamID: storage.teamID, withEmail: true)
            }
            return Self.ok(user.objectValue, status: .created)
        }
        control.patch("users", ":id") { req -> Response in
            let id = req.parameters.get("id") ?? ""
            let body = req.json
            let user = workspace.withStorage { storage -> JSON? in
                guard var user = storage.users[id] else { return nil }
                if let deleted = body?["deleted"]?.bool { user.deleted = deleted }
                if let email = body?["email"]?.string { user.email = email }
                if let restricted = body?["is_restricted"]?.bool { user.isRestricted = restricted }
                user.updated = storage.nowSeconds
                storage.users[id] = user
                return user.json(teamID: storage.teamID, withEmail: true)
            }
            return user.map { Self.ok(["user": $0]) } ?? Self.bad("no such user", status: .notFound)
        }
        control.post("channels") { req -> Response in
            guard let body = req.json, let name = body["name"]?.string, !name.isEmpty else { return Self.bad("name is required") }
            let id = workspace.withStorage { storage in
                // Installed bots are invited unless told otherwise, as an admin would.
                let bots = body["bot_member"]?.bool == false ? [] : Set(storage.botUsers.values)
                let members = Set((body["members"]?.array ?? []).compactMap(\.string))
                return storage.addChannel(name: name, isPrivate: body["is_private"]?.bool ?? false, members: bots.union(members)).id
            }
            return Self.ok(["id": .string(id)], status: .created)
        }
        control.get("channels", ":id", "messages") { req -> Response in
            let id = req.parameters.get("id") ?? ""
            guard let messages = workspace.withStorage({ $0.channels[id]?.messages }) else { return Self.bad("no such channel", status: .notFound) }
            return Self.ok(["messages": .array(messages.map { ["text": .string($0.text), "ts": .string($0.ts), "user": .string($0.user)] })])
        }
        control.get("state") { _ -> Response in Self.ok(workspace.withStorage { SlackControl.state($0) }) }
        control.put("settings") { req -> Response in
            let body = req.json
            var settings = workspace.withStorage { $0.settings }
            if let editors = body?["usergroup_editors"]?.string {
                guard let value = WorkspaceSettings.Editors(rawValue: editors) else { return Self.bad("usergroup_editors must be \"everyone\" or \"admins\"") }
                settings.usergroupEditors = value
            }
            if let plan = body?["plan"]?.string {
                guard let value = WorkspaceSettings.Plan(rawValue: plan) else { return Self.bad("plan must be \"free\" or \"standard\"") }
                settings.plan = value
            }
            if let window = body?["rate_window_seconds"]?.number {
                guard window > 0 else { return Self.bad("rate_window_seconds must be positive") }
                settings.rateWindowSeconds = window
            }
            workspace.withStorage { $0.settings = settings }
            return Self.ok(settings.json.objectValue)
        }
        control.post("oauth-apps") { req -> Response in
            guard let body = req.json, let redirect = body["redirect_uri"]?.string, URL(string: redirect)?.scheme != nil else {
                return Self.bad("redirect_uri is required")
            }
            let app = workspace.createOAuthApp(redirectURI: redirect, tokenRotation: body["token_rotation"]?.bool ?? false)
            return Self.ok(["client_id": .string(app.clientID), "client_secret": .string(app.clientSecret),
                            "signing_secret": .string(app.signingSecret)], status: .created)
        }
        control.post("faults") { req -> Response in
            do {
                let plan = try FaultPlan.parse(req.json)
                workspace.withStorage { $0.faults = plan }
                return Self.ok(["rate": .double(plan.rate), "kinds": .array(plan.kinds.map { .string($0.rawValue) })])
            } catch let error as ControlRequestError {
                return Self.bad(error.message)
            }
        }
        control.delete("faults") { _ -> Response in
            workspace.withStorage { $0.faults = nil }
            return Response(status: .noContent)
        }
        control.get("clock") { _ -> Response in clock() }
        control.post("clock") { req -> Response in
            do {
                let body = req.json
                try workspace.withStorage { try $0.clock.apply(body) }
            } catch let error as ControlRequestError {
                return Self.bad(error.message)
            }
            return clock()
        }
        control.get("stats") { _ -> Response in Self.ok(workspace.withStorage { $0.stats.json.objectValue }) }
        control.post("stats", "reset") { _ -> Response in
            workspace.withStorage { $0.stats = CallStats() }
            return Response(status: .noContent)
        }
    }

    private func clock() -> Response {
        let (now, frozen) = workspace.withStorage { ($0.clock.now(), $0.clock.frozenAt != nil) }
        return Self.ok(["now": .string(ISO8601DateFormatter().string(from: now)), "frozen": .bool(frozen)])
    }

    static func ok(_ fields: [String: JSON], status: HTTPResponseStatus = .ok) -> Response {
        WebAPIGate.answer(.object(fields), status: status)
    }

    static func bad(_ message: String, status: HTTPResponseStatus = .badRequest) -> Response {
        WebAPIGate.answer(["ok": false, "error": .string(message)], status: status)
    }
}
