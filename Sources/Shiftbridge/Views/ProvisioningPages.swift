import Foundation
import Plot

/// Provisioning: the HR import, rules with a live preview, settings, and runs.
enum ProvisioningPage {
    struct Model {
        let employees: Int
        let byStatus: [(status: String, count: Int)]
        let imports: [(at: Date, actor: String, summary: String)]
        let rulesJSON: String
        let settingsJSON: String
        let preview: (rules: [(name: String, matches: Int)], unmatched: Int, roles: [(role: String, count: Int)])
        let runs: [(id: String, at: Date, status: String, dryRun: Bool, summary: String)]
        let connected: Bool
        let importProblems: [String]
        let error: String?
    }

    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("Provisioning")
            Paragraph("HR says who is hired, changed, terminated or rehired; role rules decide each person's PagerDuty role and teams. A run plans the changes first; nothing changes in PagerDuty before the plan is approved (Supervised) or at once (Autopilot).").class("muted")
            if let error = model.error {
                Div(error).class("flash flash-error").attribute(named: "role", value: "alert")
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
                    Paragraph("\(model.employees) employees: " + model.byStatus.map { "\($0.count) \($0.status)" }.joined(separator: ", ")).id("employee-counts")
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
                                Link(run.at.displayString, url: "/provisioning/runs/\(run.id)")
                                Text(" ")
                                Span(run.dryRun ? "dry run" : run.status.replacingOccurrences(of: "_", with: " ")).class("badge badge-\(ProvisioningRunPage.tone(run.status))")
                                Text(" \(run.summary)")
                            }
                        }
                        .id("runs")
                    }
                }
                .class("card")
            }
            .class("tiles")
            H2("Role rules")
            Paragraph("Ordered: the first rule whose conditions match gives the role, teams and licence. Conditions combine with {\"all\": […]} (AND) or {\"any\": […]} (OR); operators: equals, not_equals, contains, starts_with, ends_with, in (with \"values\"), matches (regular expression), is_empty; case-insensitive unless \"case_sensitive\": true.").class("muted")
            Form(url: "/provisioning/rules", method: .post) {
                CSRFField(token: context.csrfToken)
                TextArea(text: model.rulesJSON, name: "rules_json", numberOfRows: 14).class("code").id("rules-json")
                    .attribute(named: "data-preview", value: "/api/v1/provisioning/rules/preview")
                Button("Save rules").class("button").attribute(named: "type", value: "submit").id("save-rules")
            }
            Div {
                H3("Preview")
                Div {
                    List(model.preview.rules) { rule in ListItem("\(rule.name): \(rule.matches) employee(s)") }
                    Paragraph("No rule matches \(model.preview.unmatched) employee(s). Roles: "
                              + model.preview.roles.map { "\($0.role) \($0.count)" }.joined(separator: ", "))
                }
                .id("rules-preview").attribute(named: "aria-live", value: "polite")
            }
            .class("card")
            H2("Settings")
            Paragraph("mode (autopilot or supervised), process_all, stages (hire, update, terminate, rehire), termination_threshold_percent and termination_threshold_count, protected_users, time_zone, do_not_deprovision_on_role_change, exclude_from_update, attribute_mapping (templates such as \"{first_name} {last_name}\"), columns, delimiter, status_values, from_email.").class("muted")
            Form(url: "/provisioning/settings", method: .post) {
                CSRFField(token: context.csrfToken)
                TextArea(text: model.settingsJSON, name: "settings_json", numberOfRows: 14).class("code").id("settings-json")
                Button("Save settings").class("button").attribute(named: "type", value: "submit").id("save-settings")
            }
        }
    }
}

/// One run: its report, live progress, and its items with approve and reject.
enum ProvisioningRunPage {
    struct Item {
        let id: String
        let name: String
        let email: String
        let action: String
        let stage: String?
        let state: String
        let details: String
        let note: String?
    }

    struct Model {
        let id: String
        let status: String
        let dryRun: Bool
        let mode: String
        let createdAt: Date
        let createdBy: String
        let report: Provisioning.Report
        let progress: Provisioning.Progress
        let terminationsHeld: Bool
        let items: [Item]
        let filter: String?
    }

    static func tone(_ status: String) -> String {
        switch status {
        case "completed", "done": "ok"
        case "failed", "blocked": "bad"
        case "pending_approval", "running", "applying", "approved": "warn"
        default: "muted"
        }
    }

    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("Provisioning run")
            Paragraph("\(model.dryRun ? "Dry run" : model.mode.capitalized) planned \(model.createdAt.displayString) by \(model.createdBy)").class("muted")
            Div {
                Span(model.dryRun ? "dry run" : model.status.replacingOccurrences(of: "_", with: " ")).class("badge badge-\(tone(model.status))").id("run-status")
                Element(name: "progress") { Text("\(model.progress.percent)%") }
                    .attribute(named: "max", value: "\(max(model.progress.total, 1))").attribute(named: "value", value: "\(model.progress.completed)")
                    .id("run-progress")
                Span("\(model.progress.completed) of \(model.progress.total) changes done").id("run-progress-text")
            }
            .class("progress-row")
            .attribute(named: "data-run", value: model.id)
            .attribute(named: "data-live", value: model.status == "running" ? "1" : "0")
            if model.terminationsHeld {
                Div("More terminations than the guard allows: every termination waits for approval, whatever the mode.").class("flash flash-warn")
            }
            Div {
                for (label, key, value) in [("Total", "total", model.report.total), ("Skipped", "skipped", model.report.skipped),
                                            ("No change", "no_change", model.report.no_change), ("Processed", "processed", model.report.processed),
                                            ("Failed", "failed", model.report.failed), ("Blocked", "blocked", model.report.blocked),
                                            ("Pending approval", "pending_approval", model.report.pending_approval)] {
                    Div {
                        Span("\(value)").class("stat-value").attribute(named: "data-report", value: key)
                        Span(label).class("stat-label")
                    }
                    .class("stat")
                }
            }
            .class("stats").id("report")
            Paragraph("Processed: \(model.report.created) created, \(model.report.updated) updated, \(model.report.deleted) deleted.").class("muted")
            Div {
                for (label, value) in [("All", nil), ("Pending approval", "pending_approval"), ("Done", "done"), ("Failed", "failed"), ("Blocked", "blocked"),
                                       ("No change", "no_change"), ("Skipped", "skipped")] as [(String, String?)] {
                    Link(label, url: "/provisioning/runs/\(model.id)" + (value.map { "?state=\($0)" } ?? ""))
                        .class(model.filter == value ? "button small" : "button small secondary")
                }
            }
            .class("button-row")
            Form(url: "/provisioning/runs/\(model.id)/decide", method: .post) {
                CSRFField(token: context.csrfToken)
                if model.report.pending_approval > 0 {
                    Div {
                        Button("Approve selected").class("button").attribute(named: "type", value: "submit").attribute(named: "name", value: "decision").attribute(named: "value", value: "approve")
                        Button("Reject selected").class("button secondary").attribute(named: "type", value: "submit").attribute(named: "name", value: "decision").attribute(named: "value", value: "reject")
                        Button("Approve all pending").class("button").attribute(named: "type", value: "submit").attribute(named: "name", value: "decision").attribute(named: "value", value: "approve_all").id("approve-all")
                        Button("Reject all pending").class("button danger").attribute(named: "type", value: "submit").attribute(named: "name", value: "decision").attribute(named: "value", value: "reject_all")
                    }
                    .class("button-row")
                }
                Div {
                    Table(
                        header: TableRow {
                            TableHeaderCell("")
                            TableHeaderCell("Employee")
                            TableHeaderCell("Change")
                            TableHeaderCell("State")
                            TableHeaderCell("Before → after")
                        },
                        rows: {
                            for item in model.items {
                                TableRow {
                                    TableCell {
                                        if item.state == "pending_approval" {
                                            Input(type: .checkbox, name: "item_ids[]", value: item.id).attribute(named: "aria-label", value: "Select \(item.email)")
                                        }
                                    }
                                    TableCell {
                                        Text(item.name)
                                        Element(name: "br") {}
                                        Span(item.email).class("muted")
                                    }
                                    TableCell(item.action.replacingOccurrences(of: "_", with: " ") + (item.stage.map { " (\($0))" } ?? ""))
                                    TableCell { Span(item.state.replacingOccurrences(of: "_", with: " ")).class("badge badge-\(tone(item.state))") }
                                    TableCell {
                                        Text(item.details)
                                        if let note = item.note {
                                            Element(name: "br") {}
                                            Span(note).class("hint")
                                        }
                                    }
                                }
                                .attribute(named: "data-item", value: item.email)
                            }
                        }
                    )
                    .class("table").id("items")
                }
                .class("table-wrap")
            }
        }
    }
}
