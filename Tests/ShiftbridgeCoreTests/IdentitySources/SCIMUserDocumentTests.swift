import Foundation
import ShiftbridgeCore
import Testing

@Suite struct SCIMUserDocumentTests {
    func json(_ text: String) -> JSON { JSON.parse(Data(text.utf8))! }

    let okta = """
        {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ann@example.com",
         "name": {"givenName": "Ann", "familyName": "Lee"}, "emails": [{"primary": true, "value": "ann@example.com", "type": "work"}],
         "displayName": "Ann Lee", "active": true, "groups": [], "password": "ignored-1",
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "E1", "department": "Ops"}}
        """

    @Test func aCreateBodyBecomesAnEmployee() throws {
        let document = try SCIMUserDocument.from(body: json(okta))
        let employee = document.employee(id: "E1", managerEmail: "boss@example.com")
        #expect(employee.email == "ann@example.com" && employee.name == "Ann Lee" && employee.status == .active)
        #expect(employee.department == "Ops" && employee.managerEmail == "boss@example.com" && employee.attributes["employeeNumber"] == "E1")
        // Read-only and write-only values sent in are not kept.
        #expect(document.attributes["groups"] == nil && document.attributes["password"] == nil)
        let resource = document.resource(id: "u1", meta: ["resourceType": "User"])
        #expect(resource["schemas"]?.array?.count == 2 && resource["id"]?.string == "u1")
    }

    @Test func unknownAttributesAndWrongTypesAreRefusedByName() {
        #expect(throws: SCIMError.invalidPath("Unknown attribute nickName: Users here take userName, name, displayName, title, userType, preferredLanguage, locale, timezone, active, emails, phoneNumbers, externalId, urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber, urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter, urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization, urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division, urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department, urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager")) {
            try SCIMUserDocument.from(body: json(#"{"userName": "a@b.c", "nickName": "A"}"#))
        }
        #expect(throws: SCIMError.invalidValue("active must be true or false, not \"maybe\"")) {
            try SCIMUserDocument.from(body: json(#"{"userName": "a@b.c", "active": "maybe"}"#))
        }
        #expect(throws: SCIMError.self) { try SCIMUserDocument.from(body: json(#"{"userName": "a@b.c", "name": {"nick": "A"}}"#)) }
        #expect(throws: SCIMError.invalidValue("userName is required: the person's unique sign-in name, usually their email address")) {
            try SCIMUserDocument.from(body: json(#"{"displayName": "Nobody"}"#))
        }
    }

    @Test func entraPatchesWithCapitalisedOperationsStringBooleansAndFilteredPaths() throws {
        var document = try SCIMUserDocument.from(body: json(okta))
        try document.patch(json("""
            {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
              {"op": "Replace", "path": "active", "value": "False"},
              {"op": "Add", "path": "emails[type eq \\"work\\"].value", "value": "ann.lee@example.com"},
              {"op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "SRE"},
              {"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "value": {"value": "m1"}},
              {"op": "Replace", "path": "name.givenName", "value": "Annie"},
              {"op": "Add", "path": "phoneNumbers[type eq \\"mobile\\"].value", "value": "+1 555 0100"}]}
            """))
        #expect(!document.active)
        #expect(document.email == "ann.lee@example.com")
        #expect(document.enterprise["department"]?.string == "SRE" && document.enterprise["manager"]?["value"]?.string == "m1")
        #expect(document.attributes["name"]?["givenName"]?.string == "Annie")
        #expect(document.attributes["phoneNumbers"]?.array == [["type": "mobile", "value": "+1 555 0100"]])
        // A path-less replace, as Okta reactivates, and Entra's flattened extension names.
        try document.patch(json(#"{"Operations": [{"op": "replace", "value": {"active": true, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "E9"}}]}"#))
        #expect(document.active && document.enterprise["employeeNumber"]?.string == "E9")
    }

    @Test func aFailedOperationLeavesTheDocumentWhole() throws {
        let original = try SCIMUserDocument.from(body: json(okta))
        var document = original
        #expect(throws: SCIMError.self) {
            try document.patch(json(#"{"Operations": [{"op": "replace", "path": "title", "value": "CTO"}, {"op": "replace", "path": "shoeSize", "value": "9"}]}"#))
        }
        #expect(document == original)
        #expect(throws: SCIMError.self) { try document.patch(json(#"{"Operations": [{"op": "remove", "path": "userName"}]}"#)) }
        #expect(throws: SCIMError.noTarget("Operations[0]: remove needs a path naming what to remove")) {
            try document.patch(json(#"{"Operations": [{"op": "remove"}]}"#))
        }
        try document.patch(json(#"{"Operations": [{"op": "remove", "path": "emails[value eq \"ann@example.com\"]"}]}"#))
        #expect(document.attributes["emails"] == nil && document.email == "ann@example.com", "falls back to userName")
    }

    @Test func projectionKeepsWhatIsAskedFor() throws {
        let resource = try SCIMUserDocument.from(body: json(okta)).resource(id: "u1", meta: [:])
        let only = try SCIMProjection.apply(to: resource, attributes: ["name.givenName", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"], excluded: [])
        #expect(only["name"] == ["givenName": "Ann"] && only["id"] == "u1" && only["userName"] == nil)
        #expect(only[SCIMSchema.enterpriseURN] == ["department": "Ops"])
        let without = try SCIMProjection.apply(to: resource, attributes: [], excluded: ["emails", "id"])
        #expect(without["emails"] == nil && without["id"] == "u1" && without["userName"] == "ann@example.com")
    }
}
