import Foundation
import ShiftbridgeCore
import Testing

@Suite struct SCIMFilterTests {
    let resource = JSON.parse(Data("""
        {"id": "u1", "userName": "ann@example.com", "displayName": "Ann Lee", "active": true,
         "emails": [{"primary": true, "value": "ann@example.com", "type": "work"}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "E1", "department": "Ops"}}
        """.utf8))!

    @Test func filtersParseAndMatch() throws {
        for (text, expected) in [
            (#"userName eq "ANN@example.com""#, true), (#"userName eq "ben@example.com""#, false),
            (#"emails[type eq "work" and value co "@example.com"]"#, true), (#"emails.value sw "ann""#, true),
            (#"not (active eq false) and (title pr or displayName ew "lee")"#, true), (#"department eq "Ops""#, true),
            (#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "E1""#, true),
            (#"userName eq "x" or userName eq "y" or department eq "ops""#, true), (#"active eq true and title pr and userName pr"#, false),
        ] {
            #expect(try SCIMFilter.parse(text).matches(resource) == expected, "\(text)")
        }
        #expect(try SCIMFilter.parse(#"externalId eq "x-1""#).equality! == ("externalId", "x-1"))
        for broken in [#"userName eq"#, #"userName like "a""#, #"userName eq "a"#, #"(userName eq "a""#, #"userName eq ann"#, ""] {
            #expect(throws: SCIMError.self, "\(broken)") { try SCIMFilter.parse(broken) }
        }
    }

    @Test func chainsAreOneWideNodeNotADeepOne() throws {
        let filter = try SCIMFilter.parse(#"userName pr and active eq true and displayName co "ann" and id eq "u1""#)
        guard case .and(let terms) = filter else { Issue.record("\(filter)"); return }
        #expect(terms.count == 4 && filter.matches(resource))
        #expect(try SCIMFilter.parse(#"a pr or b pr and c pr"#) == .or([.present(.init(attribute: "a")), .and([.present(.init(attribute: "b")), .present(.init(attribute: "c"))])]))
    }

    @Test func nestingUpToTheLimitIsRead() throws {
        let depth = 32
        let text = String(repeating: "(", count: depth) + #"userName eq "ann@example.com""# + String(repeating: ")", count: depth)
        #expect(try SCIMFilter.parse(text).matches(resource))
        let negations = String(repeating: "not (", count: depth) + "title pr" + String(repeating: ")", count: depth)
        #expect(try SCIMFilter.parse(negations).matches(resource) == (depth % 2 == 1))
    }

    /// What took the service down: 32,500 nested parentheses, 50,000 `and` terms, 50,000
    /// `not (`. Each is refused with SCIM's error, quickly, on a small stack.
    @Test func hostileFiltersAreRefusedNotRecursedInto() throws {
        let parentheses = String(repeating: "(", count: 32_500) + "a pr" + String(repeating: ")", count: 32_500)
        #expect(parentheses.utf8.count == 65_004)
        #expect(throws: SCIMError.invalidFilter("The filter nests more than 32 levels of parentheses, not or brackets: simplify it")) {
            try SCIMFilter.parse(parentheses)
        }
        let chain = Array(repeating: #"userName eq "a""#, count: 50_000).joined(separator: " and ")
        #expect(throws: SCIMError(status: 400, .tooMany, "The filter has more than 200 comparisons: split the search")) { try SCIMFilter.parse(chain) }
        let negations = String(repeating: "not (", count: 50_000) + "a pr" + String(repeating: ")", count: 50_000)
        #expect(throws: SCIMError.invalidFilter("The filter nests more than 32 levels of parentheses, not or brackets: simplify it")) {
            try SCIMFilter.parse(negations)
        }
        let brackets = String(repeating: "emails[", count: 50_000) + "a pr" + String(repeating: "]", count: 50_000)
        #expect(throws: SCIMError.self) { try SCIMFilter.parse(brackets) }
        // The same bounds hold in a PATCH path's value filter.
        #expect(throws: SCIMError.self) { try SCIMAttributePath.parse("emails[" + parentheses + "].value") }
        // Errors quote a long filter cut short, not whole.
        do { _ = try SCIMFilter.parse(String(repeating: "x", count: 10_000) + " eq") } catch let error as SCIMError { #expect(error.detail.count < 600) }
    }
}
