import Fluent
import Foundation
import Logging
import PagerDutyEmulator
import PagerDutyKit
@testable import Shiftbridge
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Settings → Integrations end to end: the app, over loopback, against the emulator.
@Suite struct IntegrationsTests {
    struct Fixture {
        let app: Application
        let emulator: EmulatorServer
        let token: String
        let log: CapturingLog
        var auth: HTTPHeaders { ["Authorization": "Bearer \(token)"] }

        func api(_ method: HTTPMethod, _ path: String, json: [String: Any]? = nil) async throws -> TestingHTTPResponse {
            var headers = auth
            var body: ByteBuffer?
            if let json {
                headers.contentType = .json
                body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
            }
            return try await app.testing().sendRequest(method, path, headers: headers, body: body)
        }

        func status() async throws -> [String: Any] {
            let response = try await api(.GET, "/api/v1/integrations/pagerduty")
            return try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as! [String: Any]
        }

        func emulatorCall(_ method: String, _ path: String, json: Any? = nil, form: String? = nil) async throws -> (status: Int, headers: [String: String], json: [String: Any]) {
            var headers: [(String, String)] = []
            var body: Data?
            if let json { body = try JSONSerialization.data(withJSONObject: json); headers.append(("Content-Type", "application/json")) }
            if let form { body = Data(form.utf8); headers.append(("Content-Type", "application/x-www-form-urlencoded")) }
            let reply = try await AsyncHTTPClientTransport().send(TransportRequest(method: method, url: emulator.baseURL + path, headers: headers, body: body))
            return (reply.status, reply.headers, (try? JSONSerialization.jsonObject(with: reply.body)) as? [String: Any] ?? [:])
        }

        func key(readOnly: Bool) async throws -> String {
            try await emulatorCall("POST", "/_emulator/api-keys", json: ["read_only": readOnly]).json["key"] as! String
        }

        /// Everything the app has written down: every text column of every table.
        func databaseText() async throws -> String {
            let sql = app.db as! any SQLDatabase
            var text = ""
            for table in ["pagerduty_connections", "audit_events", "web_sessions", "oauth_attempts", "users", "api_tokens"] {
                for row in try await sql.raw("SELECT * FROM \(unsafeRaw: table)").all() {
                    for column in row.allColumns {
                        if let value = try? row.decode(column: column, as: String?.self) { text += (value ?? "") + "\n" }
                    }
                }
            }
            return text
        }
    }

    func withFixture(_ database: TestDatabase = .sqlite, _ body: (Fixture) async throws -> Void) async throws {
        let emulator = try await EmulatorServer.start(port: 0, seed: .demo)
        do {
            try await withTestApp(database) { app in
                let log = CapturingLog()
                app.logger = Logger(label: "test") { _ in log }
                app.logger.logLevel = .trace
                try await app.createAdmin()
                let token = try await app.issueToken(email: "ops@example.com", name: "test")
                try await body(Fixture(app: app, emulator: emulator, token: token, log: log))
            }
        } catch {
            await emulator.shutdown()
            throw error
        }
        await emulator.shutdown()
    }

    @Test func apiKeyIsValidatedBeforeItIsSaved() async throws {
        try await withFixture { f in
            let bogus = "u+not-a-real-key-1234"
            let refused = try await f.api(.PUT, "/api/v1/integrations/pagerduty/api-key", json: ["api_key": bogus, "region": "us", "base_url": f.emulator.baseURL])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("rejected this API key"))
            #expect(try await f.status()["status"] as? String == "disconnected")
            #expect(try await PagerDutyConnection.query(on: f.app.db).count() == 0)

            let unreachable = try await f.api(.PUT, "/api/v1/integrations/pagerduty/api-key", json: ["api_key": bogus, "base_url": "http://127.0.0.1:9"])
            // Nothing was stored: the address given could not check the key (a client's problem, not ours).
            #expect(unreachable.status == .unprocessableEntity)
            #expect(unreachable.body.string.contains("Could not reach PagerDuty"))
            let badRegion = try await f.api(.PUT, "/api/v1/integrations/pagerduty/api-key", json: ["api_key": bogus, "region": "mars"])
            #expect(badRegion.status == .unprocessableEntity)
            #expect(badRegion.body.string.contains("region"))
            let missing = try await f.api(.PUT, "/api/v1/integrations/pagerduty/api-key", json: ["region": "us"])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.string.contains("api_key"))
        }
    }

    @Test func apiKeyConnectEditAndDisconnectWithoutLeakingTheKey() async throws {
        try await withFixture { f in
            let readOnly = try await f.key(readOnly: true)
            let connected = try await f.api(.PUT, "/api/v1/integrations/pagerduty/api-key", json: ["api_key": readOnly, "region": "us", "base_url": f.emulator.baseURL])
            #expect(connected.status == .ok)
            var status = try await f.status()
            #expect(status["status"] as? String == "active")
            #expect(status["method"] as? String == "api_key")
            #expect(status["key_last4"] as? String == String(readOnly.suffix(4)))
            #expect(status["read_only"] as? Bool == true)
            #expect(status["account"] as? String == "shiftbridge-demo")

            let full = try await f.key(readOnly: false)
            #expect(try await f.api(.PUT, "/api/v1/integrations/pagerduty/api-key", json: ["api_key": full, "base_url": f.emulator.baseURL]).status == .ok)
            status = try await f.status()
            #expect(status["read_only"] as? Bool == false)
            #expect(status["key_last4"] as? String == String(full.suffix(4)))

            let schedules = try await f.api(.GET, "/api/v1/integrations/pagerduty/schedules?query=platform")
            #expect(schedules.status == .ok)
            #expect(schedules.body.string.contains("Platform Primary"))
            #expect(schedules.body.string.contains("Platform Secondary"))
            #expect(!schedules.body.string.contains("Payments"))

            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let page = try await browser.request(.GET, "/settings/integrations")
            #expect(page.body.string.contains("…\(full.suffix(4))"))
            #expect(page.body.string.contains("Active"))
            #expect(page.body.string.contains("Edit API Key"))

            let actions = try await AuditEvent.query(on: f.app.db).all().map(\.action)
            #expect(actions.contains(.pagerDutyConnected) && actions.contains(.pagerDutyKeyChanged))

            #expect(try await f.api(.DELETE, "/api/v1/integrations/pagerduty").status == .noContent)
            #expect(try await f.status()["status"] as? String == "disconnected")
            #expect(try await AuditEvent.query(on: f.app.db).filter(\.$action == .pagerDutyDisconnected).count() == 1)

            // The key is nowhere: not in the database, an API answer, a page or a log line.
            let everywhere = try await f.databaseText() + page.body.string + schedules.body.string + connected.body.string + f.log.text
            for secret in [readOnly, full] {
                #expect(!everywhere.contains(secret))
                #expect(!everywhere.contains(String(secret.dropFirst(2))))
            }
        }
    }

    @Test func dashboardFormsConnectAndDisconnect() async throws {
        try await withFixture { f in
            let key = try await f.key(readOnly: false)
            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let page = try await browser.request(.GET, "/settings/integrations")
            #expect(page.body.string.contains("Connect with API Key"))
            #expect(page.body.string.contains("/api/integrations/pagerduty/login/callback"))
            let csrf = try browser.csrfToken(from: page)
            let wrong = try await browser.request(.POST, "/settings/integrations/pagerduty/api-key",
                                                  form: ["api_key": "u+wrong-key-0000", "region": "us", "base_url": f.emulator.baseURL, "_csrf": csrf])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("rejected this API key"))
            #expect(!wrong.body.string.contains("u+wrong-key-0000"))
            let ok = try await browser.request(.POST, "/settings/integrations/pagerduty/api-key",
                                               form: ["api_key": key, "region": "us", "base_url": f.emulator.baseURL, "_csrf": csrf])
            #expect(ok.status == .seeOther)
            let after = try await browser.request(.GET, "/settings/integrations")
            #expect(after.body.string.contains("PagerDuty connected with the API key ending …\(key.suffix(4))"))
            let gone = try await browser.request(.POST, "/settings/integrations/pagerduty/disconnect", form: ["_csrf": csrf])
            #expect(gone.status == .seeOther)
            #expect(try await PagerDutyConnection.query(on: f.app.db).count() == 0)
        }
    }

    // MARK: OAuth

    /// Registers an OAuth app in the emulator whose redirect is this app's callback.
    func registerApp(_ f: Fixture, scopes: [String] = []) async throws -> (id: String, secret: String) {
        let reply = try await f.emulatorCall("POST", "/_emulator/oauth-apps", json: ["redirect_uri": "http://127.0.0.1:8080/api/integrations/pagerduty/login/callback", "scopes": scopes]).json
        return (reply["client_id"] as! String, reply["client_secret"] as! String)
    }

    /// Starts from the dashboard, answers PagerDuty's consent page, returns the callback path.
    func authorize(_ f: Fixture, _ browser: Browser, app: (id: String, secret: String), decision: String = "approve", provisioning: Bool = true) async throws -> String {
        let page = try await browser.request(.GET, "/settings/integrations")
        var form = [
            "client_id": app.id, "client_secret": app.secret, "region": "us", "base_url": f.emulator.baseURL,
            "identity_url": f.emulator.baseURL, "_csrf": try browser.csrfToken(from: page),
        ]
        if provisioning { form["provisioning"] = "1" }
        let start = try await browser.request(.POST, "/settings/integrations/pagerduty/oauth", form: form)
        #expect(start.status == .seeOther)
        let authorizeURL = try #require(start.headers.first(name: .location))
        #expect(authorizeURL.hasPrefix(f.emulator.baseURL + "/oauth/authorize?"))
        #expect(authorizeURL.contains("code_challenge_method=S256"))
        let consent = try await f.emulatorCall("POST", "/oauth/authorize", form: String(authorizeURL.split(separator: "?")[1]) + "&decision=\(decision)")
        let callback = try #require(consent.headers["location"])
        #expect(callback.hasPrefix("http://127.0.0.1:8080/api/integrations/pagerduty/login/callback?"))
        return String(callback.dropFirst("http://127.0.0.1:8080".count))
    }

    @Test func oauthConnectsThroughTheConsentPage() async throws {
        try await withFixture { f in
            let registered = try await registerApp(f)
            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let callback = try await authorize(f, browser, app: registered)
            let landed = try await browser.request(.GET, callback)
            #expect(landed.status == .seeOther)
            #expect(landed.headers.first(name: .location) == "/settings/integrations")
            let status = try await f.status()
            #expect(status["status"] as? String == "active")
            #expect(status["method"] as? String == "oauth")
            #expect((status["scopes"] as? [String])?.contains("schedules.read") == true)
            #expect(status["read_only"] as? Bool == false)
            let page = try await browser.request(.GET, "/settings/integrations")
            #expect(page.body.string.contains("PagerDuty connected with OAuth."))
            #expect(page.body.string.contains("Refresh Connection"))

            // A replayed callback finds its state spent.
            let replay = try await browser.request(.GET, callback)
            #expect(replay.status == .seeOther)
            #expect(try await browser.request(.GET, "/settings/integrations").body.string.contains("could not be matched"))

            // The client works on the stored tokens; no secret was written anywhere readable.
            let client = try #require(try await f.app.services.pagerDutyClients(f.app.db).client())
            #expect(try await client.users().collect().count == 60)
            let connection = try #require(try await PagerDutyConnection.current(on: f.app.db))
            let access = try f.app.services.secrets.open(connection.sealedAccessToken!)
            let refresh = try f.app.services.secrets.open(connection.sealedRefreshToken!)
            let everywhere = try await f.databaseText() + page.body.string + f.log.text + (try await f.api(.GET, "/api/v1/integrations/pagerduty")).body.string
            for secret in [access, refresh, registered.secret] { #expect(!everywhere.contains(secret)) }
        }
    }

    @Test func withoutProvisioningOnlyReadScopesAreRequested() async throws {
        try await withFixture { f in
            let registered = try await registerApp(f)
            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            _ = try await browser.request(.GET, try await authorize(f, browser, app: registered, provisioning: false))
            let status = try await f.status()
            #expect(status["status"] as? String == "active")
            #expect(status["read_only"] as? Bool == true)
            let scopes = Set(status["scopes"] as? [String] ?? [])
            #expect(scopes == ["openid", "schedules.read", "teams.read", "users.read", "oncalls.read", "audit_records.read"])
        }
    }

    @Test func oauthFailuresLandWithAMessageAndStoreNothing() async throws {
        try await withFixture { f in
            let registered = try await registerApp(f)
            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)

            let denied = try await authorize(f, browser, app: registered, decision: "deny")
            _ = try await browser.request(.GET, denied)
            #expect(try await browser.request(.GET, "/settings/integrations").body.string.contains("PagerDuty access was denied"))

            let forged = try await browser.request(.GET, "/api/integrations/pagerduty/login/callback?code=abc&state=forged")
            #expect(forged.status == .seeOther)
            #expect(try await browser.request(.GET, "/settings/integrations").body.string.contains("could not be matched"))

            // Another admin's browser cannot finish my attempt.
            let callback = try await authorize(f, browser, app: registered)
            try await f.app.createAdmin(email: "other@example.com")
            let other = Browser(f.app)
            _ = try await other.signIn(email: "other@example.com", password: testPassword)
            _ = try await other.request(.GET, callback)
            #expect(try await other.request(.GET, "/settings/integrations").body.string.contains("another session"))
            // ...nor spend it: the attempt is still mine to finish.
            #expect(try await browser.request(.GET, callback).status == .seeOther)
            #expect(try await f.status()["status"] as? String == "active")
            _ = try await f.api(.DELETE, "/api/v1/integrations/pagerduty")

            // An approved code that waits past its 30 seconds is refused by PagerDuty.
            let slow = try await authorize(f, browser, app: registered)
            _ = try await f.emulatorCall("POST", "/_emulator/clock", json: ["advance_seconds": 31])
            _ = try await browser.request(.GET, slow)
            #expect(try await browser.request(.GET, "/settings/integrations").body.string.contains("expired or was already used"))

            let anonymous = try await f.app.testing().sendRequest(.GET, "/api/integrations/pagerduty/login/callback?code=x&state=y")
            #expect(anonymous.status == .found)
            #expect(try await PagerDutyConnection.query(on: f.app.db).count() == 0)
        }
    }

    @Test func tokensRefreshWithRotationAndADeadGrantAsksForReconnection() async throws {
        try await withFixture { f in
            let registered = try await registerApp(f)
            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            _ = try await browser.request(.GET, try await authorize(f, browser, app: registered))
            let before = try #require(try await PagerDutyConnection.current(on: f.app.db))
            let oldRefresh = try f.app.services.secrets.open(before.sealedRefreshToken!)

            // A day later PagerDuty has expired the access token: the next call refreshes.
            _ = try await f.emulatorCall("POST", "/_emulator/clock", json: ["advance_seconds": 86_400 + 60])
            let client = try #require(try await f.app.services.pagerDutyClients(f.app.db).client())
            #expect(try await client.schedules().collect().count == 8)
            let after = try #require(try await PagerDutyConnection.current(on: f.app.db))
            #expect(after.tokenVersion == before.tokenVersion + 1)
            #expect(try f.app.services.secrets.open(after.sealedRefreshToken!) != oldRefresh)
            let reuse = try await f.emulatorCall("POST", "/oauth/token", form: "grant_type=refresh_token&client_id=\(registered.id)&client_secret=\(registered.secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&refresh_token=\(oldRefresh.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(reuse.status == 400)

            // PagerDuty forgets every token (say, the app was revoked): the card says so.
            _ = try await f.emulatorCall("POST", "/_emulator/reset", json: ["seed": "demo"])
            let stale = try #require(try await f.app.services.pagerDutyClients(f.app.db).client())
            do {
                _ = try await stale.users().collect()
                Issue.record("expected the dead grant to fail")
            } catch {
                await f.app.services.pagerDutyClients(f.app.db).record(.failure(error))
            }
            #expect(try await f.status()["status"] as? String == "needs_reconnection")
            let page = try await browser.request(.GET, "/settings/integrations")
            #expect(page.body.string.contains("Needs reconnection"))
        }
    }

    @Test func backgroundRefreshRunsAheadOfExpiryOnOneInstance() async throws {
        try await withFixture { f in
            let registered = try await registerApp(f)
            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            _ = try await browser.request(.GET, try await authorize(f, browser, app: registered))
            let before = try #require(try await PagerDutyConnection.current(on: f.app.db))
            // Not due yet: nothing happens.
            await f.app.runJobPass("token-refresh")
            #expect(try await PagerDutyConnection.current(on: f.app.db)?.tokenVersion == before.tokenVersion)
            // Another instance holds the job's lease: this one leaves the refresh to it.
            let clock = f.app.testParts.clock
            clock.set(before.tokenExpiresAt!.addingTimeInterval(-60))
            #expect(try await Leases.acquire("job:token-refresh", ttl: 120, on: f.app.db, holder: "other-instance", now: clock.now()))
            await f.app.runJobPass("token-refresh")
            #expect(try await PagerDutyConnection.current(on: f.app.db)?.tokenVersion == before.tokenVersion)
            try await Leases.release("job:token-refresh", on: f.app.db, holder: "other-instance")
            await f.app.runJobPass("token-refresh")
            let after = try #require(try await PagerDutyConnection.current(on: f.app.db))
            #expect(after.tokenVersion == before.tokenVersion + 1)
            #expect(after.sealedRefreshToken != before.sealedRefreshToken)
        }
    }

    @Test func aGrantWithoutTheScopesWeAskedForSaysWhichAreMissing() async throws {
        try await withFixture { f in
            let registered = try await registerApp(f, scopes: ["openid", "users.read", "teams.read"])
            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            _ = try await browser.request(.GET, try await authorize(f, browser, app: registered))
            let status = try await f.status()
            #expect(status["status"] as? String == "missing_scopes")
            let page = try await browser.request(.GET, "/settings/integrations").body.string
            #expect(page.contains("Missing scopes: schedules.read"))
        }
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil, TestDatabase.postgresSkipReason))
    func connectsOnPostgres() async throws {
        try await withFixture(.postgres) { f in
            let key = try await f.key(readOnly: true)
            #expect(try await f.api(.PUT, "/api/v1/integrations/pagerduty/api-key", json: ["api_key": key, "base_url": f.emulator.baseURL]).status == .ok)
            #expect(try await f.status()["read_only"] as? Bool == true)
            #expect(!(try await f.databaseText()).contains(key))
        }
    }
}
