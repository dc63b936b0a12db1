import Fluent
import Foundation
@testable import Shiftbridge
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Every GET route, as a signed-in admin and with a token, while a handoff is due and a
/// webhook listens: nothing is recorded, announced or moved until the handoff job runs.
@Suite struct ReadsDoNotWriteTests {
    /// What a read must leave as it found it: the rows of each table that holds domain state.
    static let tables = ["audit_events", "webhook_deliveries", "rotations", "rotation_members", "rotation_syncs", "people", "users", "api_tokens",
                         "rotation_secrets", "webhooks", "employees", "employee_changes", "provisioning_imports", "provisioning_runs",
                         "provisioning_items", "provisioning_documents", "invitations", "pagerduty_connections"]

    func snapshot(_ app: Application) async throws -> [String: Int] {
        let sql = try #require(app.db as? any SQLDatabase)
        var counts: [String: Int] = [:]
        for table in Self.tables {
            struct Count: Decodable { let n: Int }
            counts[table] = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decoding: Count.self)?.n
        }
        // And where each rotation stands.
        for rotation in try await Rotation.query(on: app.db).all() {
            counts["position:\(rotation.code)"] = rotation.position
            counts["position_at:\(rotation.code)"] = Int(rotation.positionAt.timeIntervalSince1970)
        }
        return counts
    }

    @Test func noGetRouteWrites() async throws {
        try await withTestApp { app in
            let clock = app.testParts.clock
            clock.set("2026-01-05T08:00:00Z")
            try await app.createAdmin()
            let api = APIClient(app: app, token: try await app.issueToken())
            try await api.addPerson("Ann", "ann@example.com")
            try await api.addPerson("Ben", "ben@example.com")
            try await api.createRotation(RotationInput(code: "DAY", name: "Daily", members: ["ann@example.com", "ben@example.com"]))
            try await api.setSchedule("DAY", ScheduleInput(type: "daily", time: "10:00", time_zone: "Europe/Berlin"))
            let hook = try await api.call(.POST, "/api/v1/webhooks", json: WebhooksAPIController.CreateBody(url: "https://hooks.example.com/in"),
                                          as: WebhooksAPIController.WebhookDTO.self)
            let feed = try await api.call(.POST, "/api/v1/rotations/DAY/calendar-feed", as: RotationFeedsController.FeedURL.self)
            let invitation = try await api.call(.POST, "/api/v1/invitations", json: AccountsAPIController.InvitationBody(email: "dev@example.com"),
                                                as: AccountsAPIController.InvitationDTO.self)
            let csv = "employee_id,email,first_name,last_name,status\nE1,ann@example.com,Ann,Lee,active\n"
            _ = try await app.testing().sendRequest(.POST, "/api/v1/provisioning/imports",
                                                    headers: ["Authorization": "Bearer \(api.token)", "Content-Type": "text/csv"], body: ByteBuffer(string: csv))
            let browser = Browser(app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)

            // 09:30Z: past the 10:00 Berlin handoff, which nothing has recorded yet.
            clock.advance(hours: 1.5)
            let before = try await snapshot(app)
            let values = ["rotation": "DAY", "id": hook.id!.uuidString, "run": UUID().uuidString, "employee_id": "E1",
                          "token": String(try #require(invitation.url).split(separator: "/").last!),
                          "file": String(feed.url.split(separator: "/").last!)]
            var visited: [String] = []
            for route in app.routes.all where route.method == .GET {
                let path = "/" + route.path.map { component -> String in
                    switch component {
                    case .constant(let value): value
                    case .parameter(let name): values[name] ?? "unknown"
                    case .anything, .catchall: "x"
                    }
                }.joined(separator: "/")
                let response = path.hasPrefix("/api/") ? try await api.send(.GET, path) : try await browser.request(.GET, path)
                #expect(response.status.code < 500, "\(path): \(response.status)")
                visited.append(path)
            }
            #expect(visited.contains("/api/v1/rotations/DAY/on-duty") && visited.contains("/rotations/DAY") && visited.count >= 40)
            // Reads see the handoff at once; nothing was written for it.
            #expect(try await api.onDuty("DAY") == ["ben@example.com"])
            #expect(try await snapshot(app) == before)

            // The handoff job records and announces it: this is what the reads did not do.
            await app.runJobPass("handoffs")
            let after = try await snapshot(app)
            #expect(after["audit_events"] == before["audit_events"]! + 1)
            #expect(after["webhook_deliveries"] == before["webhook_deliveries"]! + 1)
            #expect(after["position:DAY"] == before["position:DAY"]! + 1)
        }
    }
}
