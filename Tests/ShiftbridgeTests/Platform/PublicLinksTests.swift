import Fluent
import Foundation
import NIOHTTP1
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

/// Links that leave the app come from SHIFTBRIDGE_PUBLIC_URL alone, never from the Host
/// header a request brought; without it, nothing that would need a link is made.
@Suite struct PublicLinksTests {
    @Test func linksIgnoreTheHostHeader() async throws {
        try await withTestApp(environment: ["SHIFTBRIDGE_PUBLIC_URL": "https://shiftbridge.example.com"]) { app in
            try await app.createAdmin()
            let token = try await app.issueToken()
            let headers: HTTPHeaders = ["Authorization": "Bearer \(token)", "Host": "evil.example.net", "Content-Type": "application/json"]
            func post(_ path: String, _ json: String) async throws -> String {
                try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: json)).body.string
            }
            _ = try await post("/api/v1/people", #"{"email":"ann@example.com","name":"Ann"}"#)
            _ = try await post("/api/v1/rotations", #"{"code":"LINK","name":"Link","members":["ann@example.com"]}"#)
            for answer in [try await post("/api/v1/invitations", #"{"email":"new@example.com"}"#),
                           try await post("/api/v1/rotations/LINK/calendar-feed", "{}"), try await post("/api/v1/rotations/LINK/incoming-webhook", "{}")] {
                #expect(answer.contains("https:\\/\\/shiftbridge.example.com\\/") && !answer.contains("evil"), "\(answer)")
            }
            let scim = try await post("/api/v1/scim/tokens", #"{"name":"okta"}"#)
            let scimToken = try #require(JSONDecoder().decode([String: String?].self, from: Data(scim.utf8))["token"] ?? nil)
            let user = try await app.testing().sendRequest(.POST, "/scim/v2/Users", headers: ["Authorization": "Bearer \(scimToken)", "Host": "evil.example.net",
                                                                                              "Content-Type": "application/scim+json"],
                                                           body: ByteBuffer(string: #"{"userName":"ann@corp.example"}"#))
            #expect(user.status == .created && user.headers.first(name: .location)?.hasPrefix("https://shiftbridge.example.com/scim/v2/Users/") == true)
        }
    }

    @Test func withoutAPublicURLNoLinkIsMadeAndNothingIsStored() async throws {
        try await withTestApp(environment: ["SHIFTBRIDGE_PUBLIC_URL": ""]) { app in
            try await app.createAdmin()
            let api = APIClient(app: app, token: try await app.issueToken())
            _ = try await api.call(.POST, "/api/v1/people", ["email": "ann@example.com", "name": "Ann"])
            _ = try await api.call(.POST, "/api/v1/rotations", ["code": "LINK", "name": "Link", "members": ["ann@example.com"]])
            for (path, body) in [("/api/v1/invitations", ["email": "new@example.com"]), ("/api/v1/rotations/LINK/calendar-feed", [:]),
                                 ("/api/v1/scim/tokens", ["name": "okta"]),
                                 ("/api/v1/integrations/pagerduty/oauth", ["client_id": "abc", "client_secret": "def", "identity_url": "http://127.0.0.1:9"])] as [(String, [String: Any])] {
                let refused = try await api.call(.POST, path, body)
                #expect(refused.status == .conflict, "\(path): \(refused.text)")
                #expect(try refused.error.code == "public_url_required" && refused.error.message.contains("SHIFTBRIDGE_PUBLIC_URL"), "\(path)")
            }
            #expect(try await Invitation.query(on: app.db).count() == 0)
            #expect(try await SCIMToken.query(on: app.db).count() == 0)
            #expect(try await OAuthAttempt.query(on: app.db).count() == 0)
            // The settings pages say what to set instead of showing a link.
            let browser = Browser(app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            #expect(try await browser.request(.GET, "/settings/integrations").body.string.contains("set SHIFTBRIDGE_PUBLIC_URL"))
        }
    }
}
