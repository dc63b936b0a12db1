import Fluent
import Foundation
@testable import Shiftbridge
import ShiftbridgeCore
import Testing
import Vapor
import VaporTesting

/// No number, length or byte a client sends takes the process down or is stored mangled:
/// each gets a clear error that names what to fix.
@Suite struct InputBoundsTests {
    @Test func offsetsAndPagesThatWouldOverflowAreRefusedOrClamped() async throws {
        try await RotationsTests().withRotations { api, _ in
            let huge = "9223372036854775807"
            let offset = try await api.call(.GET, "/api/v1/audit-events?offset=\(huge)")
            #expect(offset.status == .unprocessableEntity)
            #expect(offset.text.contains("offset"))
            #expect(try await api.call(.GET, "/api/v1/audit-events?limit=abc").status == .unprocessableEntity)
            #expect(try await api.call(.GET, "/api/v1/audit-events?offset=99999999999999999999999").status == .unprocessableEntity)
            let browser = Browser(api.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            #expect(try await browser.request(.GET, "/audit?page=\(huge)").status == .ok)
            #expect(try await browser.request(.GET, "/audit?page=-5").status == .ok)
            // Still alive and answering.
            #expect(try await api.call(.GET, "/api/v1/me").status == .ok)
        }
    }

    @Test func aScheduleOfRunsThatWouldOverflowIsRefusedAndAStoredOneDoesNotCrash() async throws {
        try await ProvisioningTests().withProvisioning { f in
            let saved = try await f.put("/api/v1/provisioning/settings", ["run_every_minutes": Int.max])
            #expect(saved.status == .unprocessableEntity)
            #expect(saved.text.contains("run_every_minutes"))
            // A value stored by an earlier version: the scheduler reads it without trapping.
            let document = try #require(try await ProvisioningDocument.find("settings", on: f.app.db))
            var json = try #require(try JSONSerialization.jsonObject(with: Data(document.json.utf8)) as? [String: Any])
            json["run_every_minutes"] = Int.max
            document.json = String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
            try await document.save(on: f.app.db)
            _ = try? await f.app.services.provisioningApplier(f.app.db).startScheduledRun()
            #expect(try await f.api.call(.GET, "/api/v1/me").status == .ok)
        }
    }

    @Test func unknownSettingsKeysAreRefusedByName() async throws {
        try await ProvisioningTests().withProvisioning { f in
            let typo = try await f.put("/api/v1/provisioning/settings", ["mdoe": "autopilot"])
            #expect(typo.status == .unprocessableEntity)
            #expect(typo.text.contains("mdoe"))
            let nested = try await f.put("/api/v1/provisioning/settings", ["attribute_mapping": ["job_titel": "{title}"]])
            #expect(nested.status == .unprocessableEntity)
            #expect(nested.text.contains("job_titel"))
            let rule = try await f.put("/api/v1/provisioning/rules", ["rules": [["name": "x", "when": ["attribute": "department", "operator": "equals", "value": "a"], "team": "Platform"]]])
            #expect(rule.status == .unprocessableEntity)
            #expect(rule.text.contains("team"))
            #expect(try await f.api.get("/api/v1/provisioning/settings", as: ProvisioningSettings.self).mode == .autopilot)
        }
    }

    @Test func lengthsAreCappedWithTheLimitNamed() async throws {
        try await RotationsTests().withRotations { api, _ in
            let longName = try await api.call(.POST, "/api/v1/rotations", ["code": "LONG", "name": String(repeating: "n", count: 201)])
            #expect(longName.status == .unprocessableEntity && longName.text.contains("200"))
            let longDescription = try await api.call(.POST, "/api/v1/rotations", ["code": "LONG", "name": "Long", "description": String(repeating: "d", count: 2001)])
            #expect(longDescription.status == .unprocessableEntity && longDescription.text.contains("2000"))
            let longURL = try await api.call(.POST, "/api/v1/webhooks", ["url": "https://hooks.example.com/" + String(repeating: "a", count: 100_000)])
            #expect(longURL.status == .unprocessableEntity && longURL.text.contains("2048"))
            let longEmail = try await api.call(.POST, "/api/v1/people", ["email": String(repeating: "e", count: 250) + "@example.com", "name": "E"])
            #expect(longEmail.status == .unprocessableEntity && longEmail.text.contains("254"))
            let longToken = try await api.call(.POST, "/api/v1/tokens", ["name": String(repeating: "t", count: 101)])
            #expect(longToken.status == .unprocessableEntity && longToken.text.contains("100"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func nulCharactersAndBrokenUTF8AreRefusedNotStored(_ database: TestDatabase) async throws {
        guard database == .sqlite || TestDatabase.postgresURL != nil else { return }
        try await RotationsTests().withRotations(database) { api, _ in
            let app = api.app
            func send(_ method: HTTPMethod, _ path: String, _ type: HTTPMediaType, _ bytes: [UInt8]) async throws -> TestingHTTPResponse {
                var headers: HTTPHeaders = ["Authorization": "Bearer \(api.token)"]
                headers.contentType = type
                return try await app.testing().sendRequest(method, path, headers: headers, body: ByteBuffer(bytes: bytes))
            }
            let nulJSON = try await send(.POST, "/api/v1/people", .json, Array(#"{"email":"nul@example.com","name":"Ann\u0000Lee"}"#.utf8))
            #expect(nulJSON.status == .unprocessableEntity)
            #expect(nulJSON.body.string.contains("NUL"))
            let brokenUTF8 = try await send(.POST, "/api/v1/people", .json, Array(#"{"email":"bad@example.com","name":"Ren"#.utf8) + [0xE9] + Array(#"e"}"#.utf8))
            #expect(brokenUTF8.status == .unprocessableEntity)
            let escapedBackslash = try await send(.POST, "/api/v1/people", .json, Array(#"{"email":"ok@example.com","name":"back\\u0000slash"}"#.utf8))
            #expect(escapedBackslash.status == .created, "a backslash before u0000 is text, not NUL")
            let query = try await app.testing().sendRequest(.GET, "/api/v1/people?query=a%00b", headers: ["Authorization": "Bearer \(api.token)"])
            #expect(query.status == .unprocessableEntity)
            let browser = Browser(app)
            let signedIn = try await browser.signIn(email: "ops@example.com", password: testPassword)
            #expect(signedIn.status == .seeOther)
            let page = try await browser.request(.GET, "/people")
            let form = try await browser.request(.POST, "/people", form: ["email": "form@example.com", "name": "Ann\u{0}Lee", "_csrf": try browser.csrfToken(from: page)])
            #expect(form.status == .unprocessableEntity)
            #expect(try await Person.query(on: app.db).filter(\.$email ~~ ["nul@example.com", "bad@example.com", "form@example.com"]).count() == 0)
            #expect(try await Person.query(on: app.db).filter(\.$email == "ok@example.com").first()?.name == #"back\u0000slash"#)
        }
    }

    @Test func aLatin1ExportIsRefusedWithItsLineUnlessTheEncodingSaysSo() async throws {
        try await ProvisioningTests().withProvisioning { f in
            var csv = Array((ProvisioningTests.header + "\nL1,renee@corp.example,Ren").utf8)
            csv += [0xE9, 0x65]  // "ée" in Latin-1
            csv += Array(",Dupont,active,2026-01-05,,Platform,Engineer,,Paris,Europe/Paris\n".utf8)
            var headers: HTTPHeaders = ["Authorization": "Bearer \(f.api.token)"]
            headers.contentType = HTTPMediaType(type: "text", subType: "csv")
            let refused = try await f.app.testing().sendRequest(.POST, "/api/v1/provisioning/imports", headers: headers, body: ByteBuffer(bytes: csv))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("line 2"))
            #expect(refused.body.string.contains("windows-1252"))
            #expect(try await f.put("/api/v1/provisioning/settings", ["encoding": "windows-1252"]).status == .ok)
            let imported = try await f.app.testing().sendRequest(.POST, "/api/v1/provisioning/imports", headers: headers, body: ByteBuffer(bytes: csv))
            #expect(imported.status == .created, "\(imported.body.string)")
            let employees = try await f.api.get("/api/v1/provisioning/employees", as: [String: [ProvisioningAPIController.EmployeeDTO]].self)["employees"] ?? []
            #expect(employees.first?.name == "Renée Dupont")
            let nul = try await f.app.testing().sendRequest(.POST, "/api/v1/provisioning/imports", headers: headers,
                                                           body: ByteBuffer(bytes: Array((ProvisioningTests.header + "\nN1,n@corp.example,N").utf8) + [0] + Array(",L,active,,,,,,,\n".utf8)))
            #expect(nul.status == .unprocessableEntity)
            #expect(nul.body.string.contains("NUL"))
        }
    }

    @Test func aDeliveryThatCanNeverSucceedIsGivenUpWithItsReasonWithoutHarm() async throws {
        try await RotationsTests().withRotations { api, clock in
            let app = api.app
            let receiver = RecordingReceiver()
            app.testParts.webhooks.use(receiver)
            _ = try await api.call(.POST, "/api/v1/rotations", ["code": "LONG", "name": "Long", "members": ["ann@example.com", "ben@example.com"]])
            // A URL stored before URLs were checked: 100 KB long.
            let hook = Webhook()
            hook.url = "https://hooks.example.com/" + String(repeating: "a", count: 100_000)
            hook.sealedSecret = try app.services.secrets.seal("secret")
            hook.secretLast4 = "cret"
            hook.createdBy = "ops@example.com"
            hook.createdAt = Date()
            try await hook.create(on: app.db)
            _ = try await api.call(.POST, "/api/v1/rotations/LONG/rotate")
            for _ in 0..<WebhookSender.maxAttempts {
                try await app.deliverWebhooks()
                clock.advance(hours: 1.01)
            }
            let delivery = try #require(try await WebhookDelivery.query(on: app.db).filter(\.$webhook.$id == hook.requireID()).first())
            #expect(delivery.status == .failed)
            #expect(delivery.attempts == WebhookSender.maxAttempts)
            #expect(delivery.lastError?.isEmpty == false)
            #expect(receiver.received.withLockedValue { $0.isEmpty }, "nothing was sent to the over-long URL")
            #expect(try await api.call(.GET, "/api/v1/me").status == .ok)
        }
    }
}
