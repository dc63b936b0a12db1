import Fluent
import NIOConcurrencyHelpers
import Foundation
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

/// API tokens are listed with their name and last use, and a revoked one stops at once.
@Suite struct TokensTests {
    @Test func tokensAreListedAndARevokedOneIsRefusedAtOnce() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let admin = RotationsTests.API(app: app, token: try await app.issueToken(name: "admin-cli"))
            let created = try await admin.call(.POST, "/api/v1/tokens", ["name": "grafana"])
            #expect(created.status == .created)
            let issued = try created.decode(AccountsAPIController.TokenDTO.self)
            let grafana = try #require(issued.token)
            let id = try #require(issued.id).uuidString
            let grafanaAPI = RotationsTests.API(app: app, token: grafana)
            // Used once: checked, cached, and its last use shown.
            #expect(try await grafanaAPI.call(.GET, "/api/v1/me").status == .ok)
            let listed = try await admin.get("/api/v1/tokens", as: AccountsAPIController.TokenList.self).tokens
            let entry = try #require(listed.first { $0.name == "grafana" })
            #expect(entry.last4 == String(grafana.suffix(4)))
            #expect(entry.last_used_at != nil)
            #expect(entry.token == nil, "a listed token never shows its value")
            #expect(try await admin.call(.DELETE, "/api/v1/tokens/\(id)").status == .noContent)
            // Refused at once, though a check was cached a moment ago.
            #expect(try await grafanaAPI.call(.GET, "/api/v1/me").status == .unauthorized)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == .apiTokenRevoked).count() == 1)
        }
    }

    @Test func settingsPageCreatesShowsOnceAndRevokes() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let browser = Browser(app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let page = try await browser.request(.GET, "/settings/tokens")
            #expect(page.status == .ok)
            let created = try await browser.request(.POST, "/settings/tokens", form: ["name": "ci", "_csrf": try browser.csrfToken(from: page)])
            #expect(created.status == .created)
            let stored = try #require(try await APIToken.query(on: app.db).first())
            let html = created.body.string
            let marker = "id=\"new-token\">"
            let start = try #require(html.range(of: marker))
            let value = String(html[start.upperBound...].prefix { $0 != "<" })
            #expect(value.hasPrefix("sbt_") && APIToken.digest(value) == stored.tokenHash)
            // Shown once: the list shows only its last four characters.
            let again = try await browser.request(.GET, "/settings/tokens")
            #expect(!again.body.string.contains(value))
            #expect(again.body.string.contains("…\(stored.last4)"))
            let revoked = try await browser.request(.POST, "/settings/tokens/\(try stored.requireID())/revoke", form: ["_csrf": try browser.csrfToken(from: again)])
            #expect(revoked.status == .seeOther)
            #expect(try await APIToken.query(on: app.db).count() == 0)
        }
    }

    @Test func theCommandLineListsAndRevokes() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let token = try await app.issueToken(name: "nightly")
            let console = RecordingConsole()
            try await run(["admin", "tokens", "list"], app: app, console: console)
            let listing = console.text
            #expect(listing.contains("nightly") && listing.contains("ops@example.com") && listing.contains(String(token.suffix(4))))
            #expect(!listing.contains(token))
            let id = try #require(try await APIToken.query(on: app.db).first()?.id)
            try await run(["admin", "tokens", "revoke", id.uuidString], app: app, console: console)
            #expect(try await APIToken.query(on: app.db).count() == 0)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"]).status == .unauthorized)
        }
    }

    private func run(_ arguments: [String], app: Application, console: RecordingConsole) async throws {
        var context = CommandContext(console: console, input: CommandInput(arguments: ["shiftbridge"] + arguments))
        context.application = app
        try await console.run(app.asyncCommands.group(), with: context)
    }
}

/// A console that keeps what commands print.
final class RecordingConsole: Console, @unchecked Sendable {
    private let lines = NIOLockedValueBox<[String]>([])
    var text: String { lines.withLockedValue { $0.joined(separator: "\n") } }
    var userInfo: [AnySendableHashable: any Sendable] = [:]
    var size: (width: Int, height: Int) { (200, 50) }
    func input(isSecure: Bool) -> String { "" }
    func output(_ text: ConsoleText, newLine: Bool) { lines.withLockedValue { $0.append(text.description) } }
    func clear(_ type: ConsoleClear) {}
    func report(error: String, newLine: Bool) { lines.withLockedValue { $0.append(error) } }
}
