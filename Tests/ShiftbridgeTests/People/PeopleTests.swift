import Fluent
import Foundation
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

@Suite struct PeopleTests {
    func post(_ app: Application, _ token: String, _ json: [String: Any]) async throws -> TestingHTTPResponse {
        var headers: HTTPHeaders = ["Authorization": "Bearer \(token)"]
        headers.contentType = .json
        return try await app.testing().sendRequest(.POST, "/api/v1/people", headers: headers, body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: json)))
    }

    func check(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await app.createAdmin()
            let token = try await app.issueToken(email: "ops@example.com", name: "t")
            let created = try await post(app, token, ["email": "Ann.Lee@Example.com", "name": "Ann Lee", "time_zone": "Europe/Berlin", "chat_handle": "@ann"])
            #expect(created.status == .created)
            #expect(created.body.string.contains("\"email\":\"ann.lee@example.com\""))
            #expect(created.body.string.contains("\"linked\":true"))

            let duplicate = try await post(app, token, ["email": "ANN.LEE@example.com", "name": "Another Ann"])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.body.string.contains("email"))
            let badZone = try await post(app, token, ["email": "bo@example.com", "name": "Bo", "time_zone": "Mars/Olympus"])
            #expect(badZone.status == .unprocessableEntity)
            #expect(badZone.body.string.contains("time_zone"))
            let noName = try await post(app, token, ["email": "cy@example.com"])
            #expect(noName.status == .unprocessableEntity)
            #expect(noName.body.string.contains("name"))
            let badEmail = try await post(app, token, ["email": "not-an-email", "name": "X"])
            #expect(badEmail.body.string.contains("email"))
            _ = try await post(app, token, ["email": "bo@example.com", "name": "Bo Chen"])

            let search = try await app.testing().sendRequest(.GET, "/api/v1/people?query=LEE", headers: ["Authorization": "Bearer \(token)"])
            #expect(search.body.string.contains("Ann Lee"))
            #expect(!search.body.string.contains("Bo Chen"))
            #expect(try await Person.query(on: app.db).count() == 2)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == .personCreated).count() == 2)
        }
    }

    @Test func apiAddsValidatesAndSearchesOnSQLite() async throws { try await check(.sqlite) }

    @Test(.enabled(if: TestDatabase.postgresURL != nil, TestDatabase.postgresSkipReason))
    func apiAddsValidatesAndSearchesOnPostgres() async throws { try await check(.postgres) }

    @Test func pageFormAddsAndExplainsMistakes() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let browser = Browser(app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let page = try await browser.request(.GET, "/people")
            #expect(page.body.string.contains("Nobody yet"))
            let csrf = try browser.csrfToken(from: page)
            let wrong = try await browser.request(.POST, "/people", form: ["name": "Dee", "email": "dee@example.com", "time_zone": "Nowhere", "_csrf": csrf])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("not an IANA time zone"))
            #expect(wrong.body.string.contains("value=\"dee@example.com\""))  // what was typed is kept
            let ok = try await browser.request(.POST, "/people", form: ["name": "Dee", "email": "dee@example.com", "time_zone": "", "_csrf": csrf])
            #expect(ok.status == .seeOther)
            let after = try await browser.request(.GET, "/people")
            #expect(after.body.string.contains("Added Dee (dee@example.com)."))
            #expect(after.body.string.contains("<td>dee@example.com</td>"))
        }
    }
}
