import Foundation
@testable import ShiftbridgeCore
import Testing

@Suite struct SCIMAttributePathTests {
    @Test func pathsNameAnAttributeASubAttributeAFilterAndASchema() throws {
        #expect(try SCIMAttributePath.parse("userName") == .init(attribute: "userName"))
        #expect(try SCIMAttributePath.parse("name.givenName") == .init(attribute: "name", subAttribute: "givenName"))
        let filtered = try SCIMAttributePath.parse(#"emails[type eq "work"].value"#)
        #expect(filtered.attribute == "emails" && filtered.subAttribute == "value" && filtered.filter != nil)
        let extended = try SCIMAttributePath.parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department")
        #expect(extended.schema == SCIMSchema.enterpriseURN && extended.attribute == "department")
    }

    @Test func badPathsSayWhatIsWrong() {
        for bad in ["", "emails[type eq \"work\"", "emails[type eq \"work\"]x", "na me", "urn:example:unknown:attr"] {
            #expect(throws: SCIMError.self, "\(bad)") { try SCIMAttributePath.parse(bad) }
        }
        do { _ = try SCIMAttributePath.parse(String(repeating: "x", count: 500) + " y") } catch let error as SCIMError {
            #expect(error.kind == .invalidPath && error.detail.count < 200, "a long path is quoted cut short")
        } catch { Issue.record("\(error)") }
    }

    @Test func valuesAreFoundInTheResourceIgnoringCase() throws {
        let resource = JSON.parse(Data(#"{"userName": "a@b.c", "emails": [{"type": "work", "value": "w@b.c"}, {"type": "home", "value": "h@b.c"}]}"#.utf8))!
        #expect(try SCIMAttributePath.parse(#"EMAILS[type eq "home"].value"#).values(in: resource) == ["h@b.c"])
        #expect(try SCIMAttributePath.parse("emails").values(in: resource) == ["w@b.c", "h@b.c"])
        #expect(try SCIMAttributePath.parse("username").values(in: resource) == ["a@b.c"])
    }
}
