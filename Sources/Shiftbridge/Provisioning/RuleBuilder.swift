import Foundation
import Plot
import ShiftbridgeCore

/// The rule builder: each rule as a fieldset (name, conditions in AND/OR groups, role,
/// teams with their team role, licence), reordered and reshaped with buttons that post the
/// form back unsaved, so it works without JavaScript; with it, the preview follows each edit.
struct RuleBuilder: Component {
    let form: RuleForm
    let csrf: String

    static let attributes = ["department", "title", "location", "status", "email", "name", "first_name", "last_name", "manager_email", "employee_id", "time_zone"]

    var body: Component {
        Form(url: "/provisioning/rules/builder", method: .post) {
            CSRFField(token: csrf)
            Div {
                Label("Role when no rule matches") {
                    Select(name: "default_role", options: PagerDutyRoles.base.map { ($0, $0) }, selected: form.defaultRole)
                }
                .class("field")
                op("save", "Save rules", id: "save-rule-builder", primary: true)
            }
            .class("builder-head")
            Element(name: "datalist") {
                for attribute in Self.attributes { Element(name: "option") {}.attribute(named: "value", value: attribute) }
            }
            .attribute(named: "id", value: "rule-attributes")
            for (r, rule) in form.rules.enumerated() {
                ruleFieldset(rule, index: r)
            }
            Div {
                op("add-rule", "Add a rule", id: "add-rule")
                op("save", "Save rules", id: "save-rule-builder-bottom", primary: true)
            }
            .class("button-row")
        }
        .class("rule-builder").id("rule-builder").attribute(named: "data-preview-form", value: "/provisioning/rules/builder/preview")
    }

    private func ruleFieldset(_ rule: RuleForm.Rule, index r: Int) -> Component {
        let p = "r\(r)."
        return Element(name: "fieldset") {
            Element(name: "legend") { Text("Rule \(r + 1)\(rule.name.isEmpty ? "" : ": \(rule.name)")") }
            Div {
                FormField(label: "Name", name: p + "name", value: rule.name, autocomplete: "off")
                Label("Role") {
                    Select(name: p + "role", options: [("", "(default role)")] + PagerDutyRoles.base.map { ($0, $0) }, selected: rule.role)
                }
                .class("field")
                FormField(label: "Licence", name: p + "license", value: rule.license, required: false, autocomplete: "off", hint: "A PagerDuty licence name or id; empty: none")
            }
            .class("form-grid")
            if let raw = rule.rawCondition {
                Paragraph("These conditions are nested deeper than the builder shows; they are kept as they are. Edit them here as JSON, or under Advanced.").class("muted")
                Label("Conditions (JSON)") {
                    TextArea(text: raw, name: p + "when_json", numberOfRows: 4).class("code")
                }
                .class("field")
            } else {
                Label("Match") {
                    Select(name: p + "match", options: [("all", "all of these groups (AND)"), ("any", "any of these groups (OR)")], selected: rule.any ? "any" : "all")
                }
                .class("field inline-field")
                for (g, group) in rule.groups.enumerated() { groupFieldset(group, rule: r, index: g) }
                op("add-group:\(r)", "Add a group", id: "add-group-\(r)")
            }
            Element(name: "fieldset") {
                Element(name: "legend") { Text("Teams") }
                for (k, team) in rule.teams.enumerated() {
                    Div {
                        FormField(label: "Team", name: p + "team\(k).team", value: team.team, autocomplete: "off", hint: "Its name or PagerDuty id")
                        Label("Team role") {
                            Select(name: p + "team\(k).role", options: PagerDutyRoles.team.map { ($0, $0) }, selected: team.role)
                        }
                        .class("field")
                        op("remove-team:\(r).\(k)", "Remove team", id: "remove-team-\(r)-\(k)")
                    }
                    .class("builder-row")
                }
                op("add-team:\(r)", "Add a team", id: "add-team-\(r)")
            }
            .class("teams")
            Div {
                op("up:\(r)", "Move up", id: "up-\(r)")
                op("down:\(r)", "Move down", id: "down-\(r)")
                op("remove-rule:\(r)", "Remove rule", id: "remove-rule-\(r)", danger: true)
            }
            .class("button-row")
        }
        .class("rule card")
    }

    private func groupFieldset(_ group: RuleForm.Group, rule r: Int, index g: Int) -> Component {
        let gp = "r\(r).g\(g)."
        return Element(name: "fieldset") {
            Element(name: "legend") { Text("Group \(g + 1)") }
            Label("Within the group") {
                Select(name: gp + "match", options: [("all", "all of these (AND)"), ("any", "any of these (OR)")], selected: group.any ? "any" : "all")
            }
            .class("field inline-field")
            for (t, test) in group.tests.enumerated() {
                let tp = gp + "t\(t)."
                Div {
                    Label("Attribute") {
                        Input(type: .text, name: tp + "attribute", value: test.attribute, isRequired: true)
                            .attribute(named: "list", value: "rule-attributes").attribute(named: "autocomplete", value: "off")
                    }
                    .class("field")
                    Label("Operator") {
                        Select(name: tp + "operator", options: Condition.Operator.allCases.map { ($0.rawValue, $0.rawValue.replacingOccurrences(of: "_", with: " ")) },
                               selected: test.op.rawValue)
                    }
                    .class("field")
                    FormField(label: "Value", name: tp + "value", value: test.value, required: false, autocomplete: "off", hint: "For in: values separated by commas")
                    Label("Match case") {
                        Input(type: .checkbox, name: tp + "case", value: "1").attribute(named: "checked", value: test.caseSensitive ? "checked" : nil)
                    }
                    .class("check")
                    op("remove-test:\(r).\(g).\(t)", "Remove", id: "remove-test-\(r)-\(g)-\(t)")
                }
                .class("builder-row")
            }
            op("add-test:\(r).\(g)", "Add a condition", id: "add-test-\(r)-\(g)")
        }
        .class("group")
    }

    private func op(_ value: String, _ title: String, id: String, primary: Bool = false, danger: Bool = false) -> Component {
        Button(title).class("button small" + (primary ? " primary" : "") + (danger ? " danger" : ""))
            .attribute(named: "type", value: "submit").attribute(named: "name", value: "op").attribute(named: "value", value: value)
            .attribute(named: "formnovalidate", value: value == "save" ? nil : "formnovalidate").id(id)
    }
}
