import AsyncHTTPClient
import Fluent
import Foundation
import PagerDutyEmulator
import PagerDutyKit
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

/// Secrets never reach the log, at any level, whichever library writes the line.
@Suite(.serialized) struct LogRedactionTests {
    @Test func nothingSecretIsLoggedEvenAtTrace() async throws {
        var secrets: [String] = []
        let log = try await TestLogging.capturing {
            let emulator = try await EmulatorServer.start(port: 0, seed: .demo)
            let slack = try await SlackFixture.start()
            try await withTestApp { app in
                app.logger.logLevel = .trace
                app.http.server.configuration.hostname = "127.0.0.1"
                app.http.server.configuration.port = 0
                try await app.server.start()
                do {
                let port = try #require(app.http.server.shared.localAddress?.port)
                let base = "http://127.0.0.1:\(port)"
                let http = AsyncHTTPClientTransport()
                try await app.createAdmin()
                let token = try await app.issueToken()
                secrets.append(token)
                func call(_ method: String, _ path: String, _ json: String? = nil, headers: [(String, String)] = []) async throws -> TransportResponse {
                    try await http.send(TransportRequest(method: method, url: base + path,
                                                         headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")] + headers,
                                                         body: json.map { Data($0.utf8) }))
                }
                // An API key posted in a body, and then sealed into the database (SQL logs).
                let key = emulator.state.createAPIKey(readOnly: false)
                secrets.append(key)
                let connected = try await call("PUT", "/api/v1/integrations/pagerduty/api-key", #"{"api_key":"\#(key)","base_url":"\#(emulator.baseURL)"}"#)
                #expect(connected.status == 200)
                let sealed = try #require(try await PagerDutyConnection.current(on: app.db)?.sealedAPIKey)
                secrets.append(sealed)
                // An OAuth client secret in a body.
                let clientSecret = "client-secret-\(UUID().uuidString)"
                secrets.append(clientSecret)
                _ = try await call("POST", "/api/v1/integrations/pagerduty/oauth", #"{"client_id":"abc","client_secret":"\#(clientSecret)","identity_url":"\#(emulator.baseURL)"}"#)
                // A calendar feed's secret URL, fetched; an incoming webhook's secret header.
                _ = try await call("POST", "/api/v1/people", #"{"email":"ann@example.com","name":"Ann"}"#)
                _ = try await call("POST", "/api/v1/rotations", #"{"code":"LOG","name":"Log","members":["ann@example.com"]}"#)
                let feed = try JSONDecoder().decode([String: String].self, from: try await call("POST", "/api/v1/rotations/LOG/calendar-feed").body)["url"] ?? ""
                let feedToken = String(feed.split(separator: "/").last?.dropLast(4) ?? "")
                secrets.append(feedToken)
                #expect(try await http.send(TransportRequest(method: "GET", url: base + "/calendar/\(feedToken).ics")).status == 200)
                let hook = try JSONDecoder().decode([String: String].self, from: try await call("POST", "/api/v1/rotations/LOG/incoming-webhook").body)["secret"] ?? ""
                secrets.append(hook)
                _ = try await http.send(TransportRequest(method: "POST", url: base + "/hooks/rotations",
                                                         headers: [("X-Shiftbridge-Secret", hook), ("Content-Type", "application/json")], body: Data(#"{"action":"rotate"}"#.utf8)))
                // Slack's bot token and signing secret in a body, and a signed slash command.
                let slackBody = #"{"bot_token":"\#(slack.botToken)","base_url":"\#(slack.server.apiBaseURL)","signing_secret":"\#(slack.signingSecret)"}"#
                #expect(try await call("PUT", "/api/v1/integrations/slack/token", slackBody).status == 200)
                secrets += [slack.botToken, slack.signingSecret]
                let command = Data("command=%2Foncall&text=&user_id=U1&team_id=T1".utf8)
                let stamp = String(Int(Date().timeIntervalSince1970))
                _ = try await http.send(TransportRequest(method: "POST", url: base + "/slack/commands",
                                                         headers: [("Content-Type", "application/x-www-form-urlencoded"), ("X-Slack-Request-Timestamp", stamp),
                                                                   ("X-Slack-Signature", SlackRequestSignature.sign(secret: slack.signingSecret, timestamp: stamp, body: command))],
                                                         body: command))
                // A browser: its password, its session cookie and its CSRF token.
                let signIn = try await http.send(TransportRequest(method: "GET", url: base + "/sign-in"))
                let csrfCookie = signIn.headers["set-cookie"].flatMap { $0.split(separator: ";").first.map(String.init) } ?? ""
                let html = String(decoding: signIn.body, as: UTF8.self)
                let csrf = html.components(separatedBy: "name=\"_csrf\" value=\"").dropFirst().first?.components(separatedBy: "\"").first ?? ""
                let form = "email=ops%40example.com&password=correct+horse+battery+staple&_csrf=\(csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                // Two cookies come back (the session and a new CSRF cookie): read every Set-Cookie.
                var post = HTTPClientRequest(url: base + "/sign-in")
                post.method = .POST
                post.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                post.headers.add(name: "Cookie", value: csrfCookie)
                post.body = .bytes(ByteBuffer(string: form))
                let signedIn = try await AsyncHTTPClientTransport.sharedClient.execute(post, timeout: .seconds(30))
                let session = signedIn.headers["set-cookie"].compactMap { $0.components(separatedBy: "shiftbridge_session=").dropFirst().first?.components(separatedBy: ";").first }.first ?? ""
                #expect(!session.isEmpty)
                secrets += [session, "correct+horse+battery+staple", "correct horse battery staple"]
                _ = try await http.send(TransportRequest(method: "GET", url: base + "/rotations", headers: [("Cookie", "shiftbridge_session=\(session)")]))
                } catch {
                    await app.server.shutdown()
                    throw error
                }
                await app.server.shutdown()
            }
            await emulator.shutdown()
            await slack.shutdown()
        }
        #expect(log.count > 10_000, "the capture saw the requests (\(log.count) characters)")
        #expect(log.contains("/calendar/[redacted]"), "the calendar fetch was logged, redacted")
        #expect(log.contains("Decoded HTTP part: body: [[redacted]]"), "Vapor's body dumps were written, redacted")
        for secret in secrets where secret.count >= 8 {
            for (form, text) in Self.encodings(of: secret) {
                #expect(!log.contains(text), "a secret reached the log (\(form)): …\(secret.suffix(4))")
            }
        }
    }

    /// A secret as bytes in the log could take: itself, hex (either case), and base64 at each
    /// of the three alignments it can have inside a longer value (its edges cut off).
    static func encodings(of secret: String) -> [(String, String)] {
        let bytes = Array(secret.utf8)
        var forms = [("plain", secret), ("hex", bytes.map { String(format: "%02x", $0) }.joined()), ("HEX", bytes.map { String(format: "%02X", $0) }.joined())]
        for offset in 0..<3 {
            let encoded = Data(Array(repeating: UInt8(0), count: offset) + bytes).base64EncodedString()
            let core = String(encoded.dropFirst(offset == 0 ? 0 : 4).dropLast(4))
            if core.count >= 8 { forms.append(("base64+\(offset)", core)) }
        }
        return forms
    }

    @Test func theRedactorTakesOutEveryKindOfSecret() {
        let samples = [
            #"HTTPRequestHead { method: GET, uri: "/x", headers: [("Authorization", "Bearer sbt_abc123"), ("Cookie", "shiftbridge_session=s3cr3t")] }"#,
            "Authorization: Token token=u+abcdefghij", "GET /calendar/AbCdEf123.ics", "POST /invitations/XyZ987",
            #"{"api_key":"u+abcdefghij","client_secret":"shh"}"#, "code=abc&state=def&code_verifier=ghi", "value sb1.0a1b2c3d.QUJDREVGR0g=",
            "x-shiftbridge-secret: hook-secret", "token xoxb-1234-5678-abcd",
            "Decoded HTTP part: body([7b2270617373776f7264223a2273336372337421227d](26 bytes))",
        ]
        for sample in samples {
            let redacted = LogRedactor.redact(sample)
            for secret in ["sbt_abc123", "s3cr3t", "u+abcdefghij", "AbCdEf123", "XyZ987", "shh", "ghi", "QUJDREVGR0g", "hook-secret", "1234-5678-abcd",
                           "7373776f7264"] {
                #expect(!redacted.contains(secret), "\(sample) → \(redacted)")
            }
        }
        #expect(LogRedactor.redact("GET /rotations 200") == "GET /rotations 200")
    }
}
