import Foundation
import Plot
import ShiftbridgeCore

extension ProvisioningRunPage {
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
            Paragraph("\(model.dryRun ? "Dry run" : model.mode.rawValue.capitalized) planned \(model.createdAt.displayString) by \(model.createdBy)").class("muted")
            Div {
                Span(model.dryRun ? "dry run" : model.status.words).class("badge badge-\(tone(model.status.rawValue))").id("run-status")
                Element(name: "progress") { Text("\(model.progress.percent)%") }
                    .attribute(named: "max", value: "\(max(model.progress.total, 1))").attribute(named: "value", value: "\(model.progress.completed)")
                    .id("run-progress")
                Span("\(model.progress.completed) of \(model.progress.total) changes done").id("run-progress-text")
            }
            .class("progress-row")
            .attribute(named: "data-run", value: model.id.uuidString)
            .attribute(named: "data-live", value: model.status == .running ? "1" : "0")
            if model.terminationsHeld {
                Div("More terminations than the guard allows: every termination waits for approval, whatever the mode.").class("flash flash-warn")
            }
            Div {
                for (label, key, value) in [("Total", "total", model.report.total), ("Skipped", "skipped", model.report.skipped),
                                            ("No change", "no_change", model.report.noChange), ("Processed", "processed", model.report.processed),
                                            ("Failed", "failed", model.report.failed), ("Blocked", "blocked", model.report.blocked),
                                            ("Pending approval", "pending_approval", model.report.pendingApproval)] {
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
                for (label, value) in [("All", nil), ("Pending approval", .pendingApproval), ("Done", .done), ("Failed", .failed), ("Blocked", .blocked),
                                       ("No change", .noChange), ("Skipped", .skipped)] as [(String, ProvisioningItemState?)] {
                    Link(label, url: "/provisioning/runs/\(model.id.uuidString)" + (value.map { "?state=\($0.rawValue)" } ?? ""))
                        .class(model.filter == value ? "button small" : "button small secondary")
                }
            }
            .class("button-row")
            Form(url: "/provisioning/runs/\(model.id.uuidString)/decide", method: .post) {
                CSRFField(token: context.csrfToken)
                if model.report.pendingApproval > 0 {
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
                                        if item.state == .pendingApproval {
                                            Input(type: .checkbox, name: "item_ids[]", value: item.id.uuidString).attribute(named: "aria-label", value: "Select \(item.email)")
                                        }
                                    }
                                    TableCell {
                                        Text(item.name)
                                        Element(name: "br") {}
                                        Span(item.email).class("muted")
                                    }
                                    TableCell(item.action.rawValue.replacingOccurrences(of: "_", with: " ") + (item.stage.map { " (\($0.rawValue))" } ?? ""))
                                    TableCell { Span(item.state.words).class("badge badge-\(tone(item.state.rawValue))") }
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
                .class("table-wrap").attribute(named: "role", value: "group").attribute(named: "aria-label", value: "Items to approve or reject")
            }
        }
    }
}
