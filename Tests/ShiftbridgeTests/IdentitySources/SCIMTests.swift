import Fluent
import Foundation
import NIOHTTP1
import PagerDutyKit
@testable import Shiftbridge
import ShiftbridgeCore
import Testing
import Vapor
import VaporTesting

/// `/scim/v2` as Okta and Entra ID use it, over the app's HTTP stack: tokens, discovery,
/// each provider's session replayed, errors in SCIM's shape, and pushed people going through
/// the same plan, review and safe offboarding as an HR file.
@Suite struct SCIMTests {
    struct SCIM {
        let app: Application
        let token: String

        func send(_ method: HTTPMethod, _ path: String, _ body: String? = nil, token: String? = nil) async throws -> (status: HTTPStatus, json: JSON, headers: HTTPHeaders) {
            var headers: HTTPHeaders = ["Authorization": "Bearer \(token ?? self.token)"]
            if body != nil { headers.contentType = HTTPMediaType(type: "application", subType: "scim+json") }
            let response = try await app.testing().sendRequest(method, "/scim/v2" + path, headers: headers, body: body.map { ByteBuffer(string: $0) })
            return (response.status, JSON.parse(Data(response.body.readableBytesView)) ?? .null, response.headers)
        }

        func employee(_ id: String) async throws -> EmployeeRecord? {
            try await EmployeeRecord.query(on: app.db).filter(\.$employeeID == id).first()
        }
    }

    func withSCIM(mode: String = "supervised", _ body: (ProvisioningTests.Fixture, SCIM) async throws -> Void) async throws {
        try await ProvisioningTests().withProvisioning(mode: mode) { f in
            let made = try await f.api.call(.POST, "/api/v1/scim/tokens", ["name": "okta"])
            #expect(made.status == .created, "\(made.text)")
            let token = try #require(try made.decode(SCIMSettingsController.TokenDTO.self).token)
            try await body(f, SCIM(app: f.app, token: token))
        }
    }

    @Test func tokensAreShownOnceStoredHashedAndRevocable() async throws {
        try await withSCIM { f, scim in
            #expect(scim.token.hasPrefix("scim_"))
            let listed = try await f.api.call(.GET, "/api/v1/scim/tokens")
            #expect(!listed.text.contains(scim.token) && listed.text.contains(String(scim.token.suffix(4))))
            let stored = try #require(try await SCIMToken.query(on: f.app.db).first())
            #expect(stored.tokenHash != scim.token && stored.lastUsedAt == nil)
            #expect(try await scim.send(.GET, "/ServiceProviderConfig").status == .ok)
            #expect(try await SCIMToken.query(on: f.app.db).first()?.lastUsedAt != nil)
            let wrong = try await scim.send(.GET, "/Users", token: "scim_not-a-token")
            #expect(wrong.status == .unauthorized && wrong.json["schemas"]?.array?.first?.string == "urn:ietf:params:scim:api:messages:2.0:Error")
            // The page shows the base URL and the token's last four, never the token.
            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let page = try await browser.request(.GET, "/settings/scim").body.string
            #expect(page.contains("/scim/v2</code>") && page.contains("…\(scim.token.suffix(4))") && !page.contains(scim.token))
            #expect(try await f.api.call(.DELETE, "/api/v1/scim/tokens/\(try #require(stored.id))").status == .noContent)
            #expect(try await scim.send(.GET, "/Users").status == .unauthorized)
        }
    }

    @Test func discoveryPublishesWhatIsHonoured() async throws {
        try await withSCIM { _, scim in
            let config = try await scim.send(.GET, "/ServiceProviderConfig")
            #expect(config.headers.contentType?.subType == "scim+json")
            #expect(config.json["patch"]?["supported"] == true && config.json["bulk"]?["supported"] == false && config.json["filter"]?["maxResults"] == 200)
            let types = try await scim.send(.GET, "/ResourceTypes")
            #expect(types.json["Resources"]?.array?.first?["schemaExtensions"]?.array?.first?["schema"]?.string == SCIMSchema.enterpriseURN)
            let schemas = try await scim.send(.GET, "/Schemas")
            #expect(schemas.json["totalResults"] == 2)
            #expect(try await scim.send(.GET, "/Schemas/\(SCIMSchema.userURN)").json["attributes"]?.array?.contains { $0["name"] == "userName" } == true)
            let nowhere = try await scim.send(.GET, "/Groups")
            #expect(nowhere.status == .notFound && nowhere.json["status"] == "404")
        }
    }

    @Test func anOktaSessionCreatesUpdatesDeactivatesAndReactivates() async throws {
        try await withSCIM { _, scim in
            // Okta asks whether the person exists, then creates them.
            let missing = try await scim.send(.GET, "/Users?filter=" + #"userName eq "ann@corp.example""#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(missing.status == .ok && missing.json["totalResults"] == 0 && missing.json["Resources"]?.array == [])
            let created = try await scim.send(.POST, "/Users", """
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ann@corp.example", "active": true,
                 "name": {"givenName": "Ann", "familyName": "Lee"}, "emails": [{"primary": true, "value": "ann@corp.example", "type": "work"}],
                 "displayName": "Ann Lee", "title": "Engineer", "groups": [], "password": "Secret-1234"}
                """)
            #expect(created.status == .created, "\(created.json)")
            let id = try #require(created.json["id"]?.string)
            #expect(created.headers.first(name: .location)?.hasSuffix("/scim/v2/Users/\(id)") == true)
            #expect(created.json["meta"]?["resourceType"] == "User" && created.json["password"] == nil)
            #expect(try await scim.employee("ann@corp.example")?.status == .active)
            let found = try await scim.send(.GET, "/Users?filter=" + #"userName eq "ANN@corp.example""#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(found.json["totalResults"] == 1 && found.json["Resources"]?.array?.first?["id"]?.string == id)

            let put = try await scim.send(.PUT, "/Users/\(id)", """
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "userName": "ann@corp.example", "active": true, "name": {"givenName": "Ann", "familyName": "Lee"},
                 "emails": [{"primary": true, "value": "ann@corp.example", "type": "work"}], "title": "Tech Lead",
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Payments"}}
                """)
            #expect(put.status == .ok && put.json["title"] == "Tech Lead")
            let updated = try #require(try await scim.employee("ann@corp.example")?.employee)
            #expect(updated.title == "Tech Lead" && updated.department == "Payments")

            let off = try await scim.send(.PATCH, "/Users/\(id)", #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "value": {"active": false}}]}"#)
            #expect(off.status == .ok && off.json["active"] == false)
            #expect(try await scim.employee("ann@corp.example")?.status == .terminated)
            let on = try await scim.send(.PATCH, "/Users/\(id)", #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "value": {"active": true}}]}"#)
            #expect(on.status == .ok)
            let back = try #require(try await scim.employee("ann@corp.example"))
            #expect(back.status == .active && back.wasTerminated)
        }
    }

    @Test func anEntraSessionWithItsHabits() async throws {
        try await withSCIM { _, scim in
            let query = #"externalId eq "0f5b-entra""#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(try await scim.send(.GET, "/Users?filter=\(query)").json["totalResults"] == 0)
            let created = try await scim.send(.POST, "/Users", """
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "externalId": "0f5b-entra", "userName": "cat@corp.example", "active": true, "displayName": "Cat Ng",
                 "emails": [{"primary": true, "type": "work", "value": "cat@corp.example"}], "name": {"formatted": "Cat Ng", "familyName": "Ng", "givenName": "Cat"},
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "E3", "department": "Platform"}}
                """)
            #expect(created.status == .created, "\(created.json)")
            let id = try #require(created.json["id"]?.string)
            // The employee is named by employeeNumber, as in the HR file.
            #expect(try await scim.employee("E3")?.email == "cat@corp.example")
            #expect(try await scim.send(.GET, "/Users?filter=\(query)").json["Resources"]?.array?.first?["id"]?.string == id)
            // One PATCH per attribute, capitalised operations, booleans as strings.
            let patched = try await scim.send(.PATCH, "/Users/\(id)", """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
                  {"op": "Replace", "path": "title", "value": "SRE"},
                  {"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "SRE"},
                  {"op": "Replace", "path": "emails[type eq \\"work\\"].value", "value": "cat.ng@corp.example"}]}
                """)
            #expect(patched.status == .ok, "\(patched.json)")
            #expect(try await scim.employee("E3")?.email == "cat.ng@corp.example")
            let disabled = try await scim.send(.PATCH, "/Users/\(id)", #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}"#)
            #expect(disabled.status == .ok && disabled.json["active"] == false)
            #expect(try await scim.employee("E3")?.status == .terminated)
            // The hard delete 30 days later: the SCIM user goes; the employee stays terminated.
            #expect(try await scim.send(.DELETE, "/Users/\(id)").status == .noContent)
            let gone = try await scim.send(.GET, "/Users/\(id)")
            #expect(gone.status == .notFound && gone.json["detail"]?.string?.contains(id) == true)
            #expect(try await scim.employee("E3")?.status == .terminated)
        }
    }

    @Test func pushesArePlannedOnceTheyGoQuiet() async throws {
        try await withSCIM(mode: "supervised") { f, scim in
            let applier = f.app.services.provisioningApplier(f.app.db)
            #expect(try await applier.startScheduledRun() == nil, "nothing pushed yet")
            for name in ["ann", "ben"] {
                _ = try await scim.send(.POST, "/Users", #"{"userName": "\#(name)@corp.example"}"#)
            }
            #expect(try await applier.startScheduledRun() == nil, "still pushing")
            f.app.testParts.clock.advance(seconds: ProvisioningApplier.pushQuietSeconds + 1)
            let run = try #require(try await applier.startScheduledRun())
            #expect(run.createdBy == "scim" && run.status == .pendingApproval)
            #expect(try await f.api.get("/api/v1/provisioning/runs/\(try #require(run.id))", as: ProvisioningTests.Run.self).items?.map(\.email).sorted()
                    == ["ann@corp.example", "ben@corp.example"])
            #expect(try await applier.startScheduledRun() == nil, "one run at a time")
        }
    }

    @Test func badRequestsAreRefusedInSCIMsShapeAndChangeNothing() async throws {
        try await withSCIM { _, scim in
            let body = #"{"userName": "dee@corp.example", "emails": [{"value": "dee@corp.example"}]}"#
            #expect(try await scim.send(.POST, "/Users", body).status == .created)
            let duplicate = try await scim.send(.POST, "/Users", body.replacingOccurrences(of: "dee@", with: "DEE@"))
            #expect(duplicate.status == .conflict && duplicate.json["scimType"] == "uniqueness")
            let unknown = try await scim.send(.POST, "/Users", #"{"userName": "eve@corp.example", "favouriteColour": "blue"}"#)
            #expect(unknown.status == .badRequest && unknown.json["detail"]?.string?.contains("favouriteColour") == true)
            let badFilter = try await scim.send(.GET, "/Users?filter=" + "userName likes x".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(badFilter.status == .badRequest && badFilter.json["scimType"] == "invalidFilter")
            let notJSON = try await scim.send(.POST, "/Users", "userName=eve")
            #expect(notJSON.status == .badRequest && notJSON.json["scimType"] == "invalidSyntax")
            let list = try await scim.send(.GET, "/Users?startIndex=1&count=10")
            #expect(list.json["totalResults"] == 1, "only Dee was made")
            #expect(try await scim.employee("eve@corp.example") == nil)
            // A user with no email address is kept, provisions nobody, and is named on the page.
            #expect(try await scim.send(.POST, "/Users", #"{"userName": "eve"}"#).status == .created)
            #expect(try await scim.employee("eve") == nil)
            let browser = Browser(scim.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            #expect(try await browser.request(.GET, "/settings/scim").body.string.contains("have no email address, so nobody is provisioned for them until the identity provider sends one: eve."))
        }
    }

    @Test func aDeactivationIsATerminationReviewedWithItsBlockersAndAReactivationCancelsIt() async throws {
        try await withSCIM(mode: "supervised") { f, scim in
            // Maya exists in PagerDuty and holds an open incident there.
            let created = try await scim.send(.POST, "/Users", """
                {"userName": "maya.nguyen@shiftbridge-demo.example", "name": {"givenName": "Maya", "familyName": "Nguyen"},
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "E4", "department": "Payments"}, "title": "Engineer"}
                """)
            let id = try #require(created.json["id"]?.string)
            let first = try await f.run()
            _ = try await f.decide(first, "approve", ["all": true])

            _ = try await scim.send(.PATCH, "/Users/\(id)", #"{"Operations": [{"op": "replace", "path": "active", "value": false}]}"#)
            let second = try await f.run()
            let deletion = try #require(second.items?.first { $0.employee_id == "E4" })
            // Held with what stands in the way, never deleted at once.
            #expect(deletion.action == .delete && [.pendingApproval, .blocked].contains(deletion.state), "\(deletion)")
            #expect(deletion.blockers?.lowercased().contains("incident") == true, "\(deletion.blockers ?? "no blockers")")
            #expect(try await f.pagerDutyUser("maya.nguyen@shiftbridge-demo.example") != nil)

            // Reactivated before anyone approved the deletion: the item is cancelled.
            _ = try await scim.send(.PATCH, "/Users/\(id)", #"{"Operations": [{"op": "replace", "path": "active", "value": "True"}]}"#)
            let after = try await f.api.get("/api/v1/provisioning/runs/\(try #require(second.id))", as: ProvisioningTests.Run.self)
            let cancelled = try #require(after.items?.first { $0.employee_id == "E4" })
            #expect(cancelled.state == .skipped && cancelled.reason?.contains("reactivated") == true)
            #expect(after.status != .pendingApproval, "nothing left waiting: \(after.status)")
            #expect(try await f.pagerDutyUser("maya.nguyen@shiftbridge-demo.example") != nil)
        }
    }
}
