import Foundation
import ShiftbridgeCore
import Testing

@Suite struct RuleFormTests {
    func rules(_ json: String) throws -> RoleRules { try JSONDecoder().decode(RoleRules.self, from: Data(json.utf8)) }

    @Test(arguments: [
        // A bare test; one AND group; OR of groups; an `in` list; case-sensitive; teams and licence.
        #"{"default_role":"limited_user","rules":[{"name":"A","when":{"attribute":"department","operator":"equals","value":"Platform"},"role":"user"}]}"#,
        #"{"default_role":"user","rules":[{"name":"B","when":{"all":[{"attribute":"department","operator":"equals","value":"payments"},{"attribute":"title","operator":"contains","value":"lead"}]},"role":"admin","teams":[{"team":"Payments","role":"manager"}],"license":"Full User"}]}"#,
        #"{"default_role":"user","rules":[{"name":"C","when":{"any":[{"all":[{"attribute":"a","operator":"equals","value":"1"},{"attribute":"b","operator":"is_empty"}]},{"attribute":"c","operator":"in","values":["X","Y"],"case_sensitive":true}]}}]}"#,
        // Shapes the two levels cannot show travel whole.
        #"{"default_role":"user","rules":[{"name":"D","when":{"all":[{"any":[{"all":[{"attribute":"a","operator":"equals","value":"1"},{"attribute":"b","operator":"equals","value":"2"}]}]}]}}]}"#,
        #"{"default_role":"user","rules":[{"name":"E","when":{"all":[{"attribute":"a","operator":"equals","value":"1"}]}}]}"#,
    ])
    func rulesRoundTripThroughTheFormExactly(_ json: String) throws {
        let original = try rules(json)
        let form = RuleForm(original)
        #expect(try form.roleRules() == original)
        // And through the HTML fields too.
        #expect(try RuleForm(fields: fields(form)).roleRules() == original)
    }

    @Test func representableRulesShowAsGroupsAndOthersAsJSON() throws {
        let shown = RuleForm(try rules(#"{"rules":[{"name":"C","when":{"any":[{"all":[{"attribute":"a","operator":"equals","value":"1"},{"attribute":"b","operator":"is_empty"}]},{"attribute":"c","operator":"in","values":["X","Y"]}]}}]}"#))
        #expect(shown.rules[0].rawCondition == nil && shown.rules[0].any && shown.rules[0].groups.count == 2)
        #expect(shown.rules[0].groups[1].tests[0].value == "X, Y")
        let kept = RuleForm(try rules(#"{"rules":[{"name":"E","when":{"all":[{"attribute":"a","operator":"equals","value":"1"}]}}]}"#))
        #expect(kept.rules[0].rawCondition != nil)
    }

    @Test func buttonsChangeTheShape() throws {
        var form = RuleForm(try rules(#"{"rules":[{"name":"A","when":{"attribute":"a","operator":"equals","value":"1"}},{"name":"B","when":{"attribute":"b","operator":"equals","value":"2"}}]}"#))
        form.apply("down:0")
        #expect(form.rules.map(\.name) == ["B", "A"])
        form.apply("up:1")
        #expect(form.rules.map(\.name) == ["A", "B"])
        form.apply("add-test:0.0")
        form.rules[0].groups[0].tests[1] = .init(attribute: "title", op: .contains, value: "lead")
        form.apply("add-group:0")
        form.apply("add-team:0")
        form.rules[0].teams[0] = .init(team: "Ops", role: "manager")
        form.apply("remove-test:0.1.0")  // the new empty group goes with its only test
        let saved = try form.roleRules()
        #expect(saved.rules[0].when == .all([.test(.init(attribute: "a", op: .equals, value: "1")), .test(.init(attribute: "title", op: .contains, value: "lead"))]))
        #expect(saved.rules[0].teams == [.init(team: "Ops", role: "manager")])
        form.apply("remove-rule:1")
        form.apply("up:0")  // nothing above the first
        form.apply("remove-rule:9")  // out of range: nothing
        #expect(form.rules.map(\.name) == ["A"])
    }

    /// The fields a browser would post for `form`.
    func fields(_ form: RuleForm) -> [String: String] {
        var fields = ["default_role": form.defaultRole]
        for (r, rule) in form.rules.enumerated() {
            let p = "r\(r)."
            fields[p + "name"] = rule.name
            fields[p + "role"] = rule.role
            fields[p + "license"] = rule.license
            fields[p + "match"] = rule.any ? "any" : "all"
            if let raw = rule.rawCondition { fields[p + "when_json"] = raw }
            for (g, group) in rule.groups.enumerated() where rule.rawCondition == nil {
                fields[p + "g\(g).match"] = group.any ? "any" : "all"
                for (t, test) in group.tests.enumerated() {
                    let tp = p + "g\(g).t\(t)."
                    fields[tp + "attribute"] = test.attribute
                    fields[tp + "operator"] = test.op.rawValue
                    fields[tp + "value"] = test.value
                    if test.caseSensitive { fields[tp + "case"] = "1" }
                }
            }
            for (k, team) in rule.teams.enumerated() {
                fields[p + "team\(k).team"] = team.team
                fields[p + "team\(k).role"] = team.role
            }
        }
        return fields
    }
}
