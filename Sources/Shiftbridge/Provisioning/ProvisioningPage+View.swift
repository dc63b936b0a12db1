import Foundation
import Plot
import ShiftbridgeCore

/// Provisioning: the HR import, rules with a live preview, settings, and runs.
extension ProvisioningPage {
    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("Provisioning")
            Paragraph("HR says who is hired, changed, terminated or rehired; role rules decide each person's PagerDuty role and teams. A run plans the changes first; nothing changes in PagerDuty before the plan is approved (Supervised) or at once (Autopilot).").class("muted")
            if let error = model.error {
                ErrorFlash(message: error)
            }
            if !model.importProblems.isEmpty {
                Div {
                    Paragraph("The file was not imported. Fix these lines and upload it again:")
                    List(model.importProblems) { ListItem($0) }.id("import-problems")
                }
                .class("flash flash-error").attribute(named: "role", value: "alert")
            }
            Div {
                Article {
                    H2("HR import")
                    Paragraph("\(model.employees) employees: " + model.byStatus.map { "\($0.count) \($0.status.rawValue)" }.joined(separator: ", ")).id("employee-counts")
                    Form(url: "/provisioning/import", method: .post, contentType: .multipartData) {
                        CSRFField(token: context.csrfToken)
                        Label("CSV export") {
                            Input(type: .file, name: "file", isRequired: true).attribute(named: "accept", value: ".csv,text/csv").id("import-file")
                            Span("Columns: employee_id, email, first_name, last_name (or name), status (active, leave, terminated), start_date, termination_date, department, title, manager_email, location, time_zone; others are kept as attributes.").class("hint")
                        }
                        .class("field")
                        Button("Import").class("button").attribute(named: "type", value: "submit").id("import-submit")
                    }
                    if let last = model.imports.first {
                        Paragraph("Last import \(last.at.displayString) by \(last.actor): \(last.summary)").class("muted").id("last-import")
                    }
                }
                .class("card")
                Article {
                    H2("Runs")
                    if !model.connected {
                        Paragraph("Connect PagerDuty under Settings → Integrations (a full-access key, or OAuth with provisioning) to plan runs.").class("muted")
                    }
                    Form(url: "/provisioning/runs", method: .post) {
                        CSRFField(token: context.csrfToken)
                        Button("Plan (dry run)").class("button secondary").attribute(named: "type", value: "submit")
                            .attribute(named: "name", value: "dry_run").attribute(named: "value", value: "1").id("plan-dry-run")
                        Button("Run").class("button").attribute(named: "type", value: "submit")
                            .attribute(named: "name", value: "dry_run").attribute(named: "value", value: "0").id("plan-run")
                    }
                    .class("button-row")
                    if model.runs.isEmpty {
                        Paragraph("No runs yet.").class("muted")
                    } else {
                        List(model.runs) { run in
                            ListItem {
                                Link(run.at.displayString, url: "/provisioning/runs/\(run.id.uuidString)")
                                Text(" ")
                                Span(run.dryRun ? "dry run" : run.status.words).class("badge badge-\(ProvisioningRunPage.tone(run.status.rawValue))")
                                Text(" \(run.summary)")
                            }
                        }
                        .id("runs")
                    }
                }
                .class("card")
            }
            .class("tiles")
            HRSourcesSection(sources: model.sources, csrf: context.csrfToken)
            H2("Role rules").id("rules")
            Paragraph("Ordered: the first rule whose conditions match gives the role, teams and licence; nobody matched gets the default role.").class("muted")
            Div {
                RuleBuilder(form: model.ruleForm, csrf: context.csrfToken)
                Div {
                    H3("Preview")
                    Div {
                        List(model.preview.rules) { rule in ListItem("\(rule.name): \(rule.matches) employee(s)") }
                        Paragraph("No rule matches \(model.preview.unmatched) employee(s). Roles: "
                                  + model.preview.roles.map { "\($0.role) \($0.count)" }.joined(separator: ", "))
                    }
                    .id("rules-preview").attribute(named: "aria-live", value: "polite")
                }
                .class("card preview")
            }
            .class("builder-layout")
            Element(name: "details") {
                Element(name: "summary") { Text("Advanced: the rules as JSON") }.id("rules-advanced")
                Paragraph("The same rules as the builder above. Conditions combine with {\"all\": […]} (AND) or {\"any\": […]} (OR); operators: equals, not_equals, contains, starts_with, ends_with, in (with \"values\"), matches (regular expression), is_empty; case-insensitive unless \"case_sensitive\": true.").class("muted")
                Form(url: "/provisioning/rules", method: .post) {
                    CSRFField(token: context.csrfToken)
                    TextArea(text: model.rulesJSON, name: "rules_json", numberOfRows: 14).class("code").id("rules-json")
                        .attribute(named: "aria-label", value: "Role rules as JSON")
                        .attribute(named: "data-preview", value: "/api/v1/provisioning/rules/preview")
                    Button("Save rules").class("button").attribute(named: "type", value: "submit").id("save-rules")
                }
            }
            .class("advanced")
            H2("Settings").id("settings")
            SettingsFields(settings: model.settings, csrf: context.csrfToken)
            Element(name: "details") {
                Element(name: "summary") { Text("Advanced: every setting as JSON") }.id("settings-advanced")
                Paragraph("Everything above, plus attribute_mapping (templates such as \"{first_name} {last_name}\"), columns and status_values.").class("muted")
                Form(url: "/provisioning/settings", method: .post) {
                    CSRFField(token: context.csrfToken)
                    TextArea(text: model.settingsJSON, name: "settings_json", numberOfRows: 14).class("code").id("settings-json")
                        .attribute(named: "aria-label", value: "Provisioning settings as JSON")
                    Button("Save settings").class("button").attribute(named: "type", value: "submit").id("save-settings")
                }
            }
            .class("advanced")
        }
    }
}
