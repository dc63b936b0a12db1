import Foundation
import PagerDutyEmulator
import PagerDutyKit
import Testing

/// The emulator holds to PagerDuty's documented behaviour, checked over real HTTP.
@Suite struct EmulatorBehaviourTests {
    @Test func authenticationNeedsTheExactTokenFormat() async throws {
        try await withEmulator { server in
            let key = try await server.http.createKey()
            #expect(try await server.http.call("GET", "/users", key: key).status == 200)
            let wrongFormat = try await server.http.call("GET", "/users", headers: [("Authorization", "Token \(key)")])
            #expect(wrongFormat.status == 401)
            #expect((wrongFormat.json["error"] as? [String: Any])?["code"] as? Int == 2006)
            #expect(try await server.http.call("GET", "/users").status == 401)
            #expect(try await server.http.call("GET", "/users", key: "u+nope").status == 401)
        }
    }

    @Test func readOnlyKeysCannotWrite() async throws {
        try await withEmulator { server in
            let key = try await server.http.createKey(readOnly: true)
            #expect(try await server.http.call("GET", "/schedules", key: key).status == 200)
            let write = try await server.http.call("POST", "/teams", key: key, json: ["team": ["type": "team", "name": "X"]])
            #expect(write.status == 403)
        }
    }

    @Test func classicPaginationRules() async throws {
        try await withEmulator { server in
            let key = try await server.http.createKey()
            let first = try await server.http.call("GET", "/users?total=true", key: key)
            #expect((first.json["users"] as? [Any])?.count == 25)
            #expect(first.json["limit"] as? Int == 25)
            #expect(first.json["more"] as? Bool == true)
            #expect(first.json["total"] as? Int == 60)
            let capped = try await server.http.call("GET", "/users?limit=500", key: key)
            #expect(capped.json["limit"] as? Int == 100)
            #expect((capped.json["users"] as? [Any])?.count == 60)
            #expect(capped.json["more"] as? Bool == false)
            #expect(capped.json["total"] is NSNull)
            let tooFar = try await server.http.call("GET", "/users?offset=9950&limit=100", key: key)
            #expect(tooFar.status == 400)
            #expect((tooFar.json["error"] as? [String: Any])?["code"] as? Int == 2002)
        }
    }

    @Test func rateLimitAnswers429WithHeadersAndResets() async throws {
        // A window long enough that a busy machine does not cross it mid-loop.
        try await withEmulator(rateLimitPerMinute: 5, rateLimitWindow: 4) { server in
            let key = try await server.http.createKey()
            for expected in (0..<5).reversed() {
                let reply = try await server.http.call("GET", "/abilities", key: key)
                #expect(reply.status == 200)
                #expect(reply.headers["ratelimit-remaining"] == "\(expected)")
                #expect(reply.headers["ratelimit-limit"] == "5")
            }
            let limited = try await server.http.call("GET", "/abilities", key: key)
            #expect(limited.status == 429)
            #expect((limited.json["error"] as? [String: Any])?["code"] as? Int == 2020)
            #expect(limited.headers["ratelimit-reset"] != nil)
            // A second credential has its own budget.
            let other = try await server.http.createKey()
            #expect(try await server.http.call("GET", "/abilities", key: other).status == 200)
            try await Task.sleep(nanoseconds: 4_100_000_000)
            #expect(try await server.http.call("GET", "/abilities", key: key).status == 200)
        }
    }

    @Test func createUserNeedsFromAndUniqueEmail() async throws {
        try await withEmulator { server in
            let key = try await server.http.createKey()
            let user: [String: Any] = ["user": ["type": "user", "name": "New Person", "email": "new.person@example.com", "role": "limited_user"]]
            let noFrom = try await server.http.call("POST", "/users", key: key, json: user)
            #expect(noFrom.status == 400)
            let created = try await server.http.call("POST", "/users", key: key, json: user, headers: [("From", "owner@shiftbridge-demo.example")])
            #expect(created.status == 201)
            #expect((created.json["user"] as? [String: Any])?["role"] as? String == "limited_user")
            let duplicate = try await server.http.call("POST", "/users", key: key, json: user, headers: [("From", "owner@shiftbridge-demo.example")])
            #expect(duplicate.status == 400)
            #expect(((duplicate.json["error"] as? [String: Any])?["errors"] as? [String])?.contains("Email has already been taken") == true)
            let owner = try await server.http.call("POST", "/users", key: key,
                json: ["user": ["type": "user", "name": "Second Owner", "email": "owner2@example.com", "role": "owner"]],
                headers: [("From", "owner@shiftbridge-demo.example")])
            #expect(owner.status == 400)
        }
    }

    @Test func deletingAUserWhoHoldsIncidentsOrShiftsIsRefused() async throws {
        try await withEmulator { server in
            let client = server.client(key: try await server.http.createKey())
            let incidents = try await client.openIncidents().collect()
            let holder = try #require(incidents.first?.assignees.first?.id)
            await #expect(throws: PagerDutyError.self) { try await client.deleteUser(id: holder) }
            do {
                try await client.deleteUser(id: holder)
            } catch let PagerDutyError.invalidInput(_, _, errors) {
                #expect(errors.contains { $0.contains("open incident") })
            }
            // Someone on no schedule, policy or incident can go.
            let created = try await client.createUser(PDUserInput(name: "Temp", email: "temp.person@example.com"))
            try await client.deleteUser(id: created.id)
            await #expect(throws: PagerDutyError.notFound(message: "Not Found")) { try await client.user(id: created.id) }
        }
    }

    @Test func oauthScopesAreEnforcedPerOperation() async throws {
        try await withEmulator { server in
            let app = try await server.http.call("POST", "/_emulator/oauth-apps", json: ["redirect_uri": "http://127.0.0.1/cb", "scopes": []]).json
            let clientID = app["client_id"] as! String
            let secret = app["client_secret"] as! String
            let pkce = PKCE.generate()
            let oauthApp = OAuthApp(clientID: clientID, clientSecret: secret, identityBaseURL: server.baseURL)
            let authorize = PagerDutyOAuth.authorizeURL(app: oauthApp, redirectURI: "http://127.0.0.1/cb",
                                                        scopes: ["openid", "users.read", "bogus.scope"], state: "s1", pkce: pkce)
            let page = try await server.http.call("GET", String(authorize.dropFirst(server.baseURL.count)))
            #expect(page.status == 200)
            #expect(page.text.contains("Approve"))
            let query = String(authorize.split(separator: "?")[1])
            let approve = try await server.http.call("POST", "/oauth/authorize", form: query + "&decision=approve")
            #expect(approve.status == 302)
            let location = try #require(approve.headers["location"])
            let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
            #expect(location.contains("state=s1"))

            let tokens = try await PagerDutyOAuth.exchange(code: code, verifier: pkce.verifier, redirectURI: "http://127.0.0.1/cb",
                                                           app: oauthApp, transport: AsyncHTTPClientTransport())
            #expect(tokens.scopes == ["openid", "users.read"])  // the unknown scope was dropped
            #expect(PagerDutyOAuth.missingScopes(requested: ["openid", "users.read", "bogus.scope"], granted: tokens.scopes) == ["bogus.scope"])
            #expect(PagerDutyOAuth.region(ofIDToken: try #require(tokens.idToken)) == .us)

            #expect(try await server.http.call("GET", "/users", bearer: tokens.accessToken).status == 200)
            let denied = try await server.http.call("GET", "/schedules", bearer: tokens.accessToken)
            #expect(denied.status == 403)
            #expect(((denied.json["error"] as? [String: Any])?["required_scopes"] as? [String]) == ["schedules.read"])
            // The code is single-use.
            await #expect(throws: PagerDutyError.self) {
                _ = try await PagerDutyOAuth.exchange(code: code, verifier: pkce.verifier, redirectURI: "http://127.0.0.1/cb",
                                                      app: oauthApp, transport: AsyncHTTPClientTransport())
            }
        }
    }

    @Test func controlAPIStatsCountRequests() async throws {
        try await withEmulator { server in
            let key = try await server.http.createKey()
            _ = try await server.http.call("POST", "/_emulator/stats/reset")
            _ = try await server.http.call("GET", "/users", key: key)
            _ = try await server.http.call("GET", "/users/PXNOPE1", key: key)
            let stats = try await server.http.call("GET", "/_emulator/stats").json
            #expect(stats["total"] as? Int == 2)
            #expect((stats["by_path"] as? [String: Int])?["/users"] == 1)
            #expect((stats["by_path"] as? [String: Int])?["/users/{id}"] == 1)
            #expect((stats["by_status"] as? [String: Int])?["404"] == 1)
            #expect((stats["by_method"] as? [String: Int])?["GET"] == 2)
        }
    }

    @Test func clockDrivesOnCallsAndAuditRecordsFollowChanges() async throws {
        try await withEmulator(seed: .empty) { server in
            let key = try await server.http.createKey()
            _ = try await server.http.call("POST", "/_emulator/clock", json: ["now": "2026-03-02T08:00:00Z"])
            let client = server.client(key: key)
            let a = try await client.createUser(PDUserInput(name: "Ann", email: "ann@example.com"))
            let b = try await client.createUser(PDUserInput(name: "Ben", email: "ben@example.com"))
            let schedule = try await server.http.call("POST", "/schedules", key: key, json: ["schedule": [
                "type": "schedule", "name": "Ops", "time_zone": "Etc/UTC",
                "schedule_layers": [["start": "2026-03-01T00:00:00Z", "rotation_virtual_start": "2026-03-02T09:00:00Z",
                                     "rotation_turn_length_seconds": 86_400, "users": [["user": ["id": a.id, "type": "user_reference"]], ["user": ["id": b.id, "type": "user_reference"]]]]],
            ]])
            #expect(schedule.status == 201)
            let scheduleID = (schedule.json["schedule"] as! [String: Any])["id"] as! String
            _ = try await server.http.call("POST", "/escalation_policies", key: key, json: ["escalation_policy": [
                "type": "escalation_policy", "name": "Ops EP",
                "escalation_rules": [["escalation_delay_in_minutes": 30, "targets": [["id": scheduleID, "type": "schedule_reference"]]]],
            ]])
            // 08:00: Ben's turn from the day before; after 09:00, Ann's.
            #expect(try await client.onCalls(scheduleIDs: [scheduleID]).collect().map(\.user?.id) == [b.id])
            _ = try await server.http.call("POST", "/_emulator/clock", json: ["advance_seconds": 3600])
            let now = try await client.onCalls(scheduleIDs: [scheduleID]).collect()
            #expect(now.map(\.user?.id) == [a.id])
            #expect(now.first?.start == PagerDutyDate.parse("2026-03-02T09:00:00Z"))
            #expect(now.first?.end == PagerDutyDate.parse("2026-03-03T09:00:00Z"))

            let records = try await client.auditRecords(rootResourceTypes: ["schedules"]).collect()
            #expect(records.first?.rootResource?.id == scheduleID)
            #expect(records.first?.action == "create")
            let userRecords = try await client.auditRecords(rootResourceTypes: ["users"]).collect()
            #expect(userRecords.count == 2)
            #expect(userRecords.first?.rootResource?.id == b.id)  // newest first
        }
    }
}
