import Fluent
import Foundation
@testable import Shiftbridge
import SQLKit
import Testing
import Vapor

/// A rotation's history follows the rotation, not its code.
@Suite struct RotationHistoryTests {
    @Test(arguments: [TestDatabase.sqlite] + (TestDatabase.postgresURL == nil ? [] : [TestDatabase.postgres]))
    func historyIsKeptWhenTheCodeChanges(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await app.createAdmin()
            let api = APIClient(app: app, token: try await app.issueToken())
            try await api.addPerson("Ann", "ann@example.com")
            try await api.addPerson("Ben", "ben@example.com")
            try await api.createRotation(RotationInput(code: "OPS", name: "Ops", members: ["ann@example.com", "ben@example.com"]))
            _ = try await api.call(.POST, "/api/v1/rotations/OPS/rotate", as: RotationsAPIController.OnDuty.self)
            // Events written before events carried the rotation's id (an older database).
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE audit_events SET rotation_id = NULL").run()
            try await AccountsAndAuditScopes.carryOverRotationHistory(on: sql)

            _ = try await api.call(.PATCH, "/api/v1/rotations/OPS", json: RotationInput(code: "PLATFORM"), as: RotationsAPIController.RotationDTO.self)
            let rotation = try #require(try await Rotation.query(on: app.db).filter(\.$code == "PLATFORM").first())
            let history = try await app.services.auditLog(app.db).history(of: rotation).map(\.action)
            #expect(history == [.rotationUpdated, .rotationRotated, .rotationCreated])

            let browser = Browser(app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let page = try await browser.request(.GET, "/rotations/PLATFORM").body.string
            #expect(page.contains("Rotated by hand") && page.contains("Created"))
            // A new rotation given the old code starts with no history of its own.
            try await api.createRotation(RotationInput(code: "OPS", name: "Ops again"))
            let fresh = try #require(try await Rotation.query(on: app.db).filter(\.$code == "OPS").first())
            #expect(try await app.services.auditLog(app.db).history(of: fresh).map(\.action) == [.rotationCreated])
        }
    }
}
