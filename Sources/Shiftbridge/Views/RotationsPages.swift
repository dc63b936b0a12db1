import Foundation
import Plot
import ShiftbridgeCore

enum RotationsPage {
    struct Row {
        let code: String
        let name: String
        let schedule: String
        let onDuty: [String]
        let members: Int
        let enabled: Bool
    }

    struct Model {
        let rows: [Row]
        let error: String?
        let input: Rotations.Input?
    }

    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("Rotations")
            if model.rows.isEmpty {
                Paragraph("No rotations yet. Create one below.").class("muted")
            } else {
                Div {
                    Table(
                        header: TableRow {
                            TableHeaderCell("Code")
                            TableHeaderCell("Name")
                            TableHeaderCell("On duty")
                            TableHeaderCell("Schedule")
                            TableHeaderCell("Members")
                        },
                        rows: {
                            for row in model.rows {
                                TableRow {
                                    TableCell { Link(row.code, url: "/rotations/\(row.code)") }
                                    TableCell(row.name + (row.enabled ? "" : " (paused)"))
                                    TableCell(row.onDuty.isEmpty ? "—" : row.onDuty.joined(separator: ", "))
                                    TableCell(row.schedule)
                                    TableCell("\(row.members)")
                                }
                            }
                        }
                    )
                    .class("table")
                }
                .class("table-wrap")
            }
            H2("New rotation")
            if let error = model.error {
                Div(error).class("flash flash-error").attribute(named: "role", value: "alert")
            }
            Form(url: "/rotations", method: .post) {
                CSRFField(token: context.csrfToken)
                Div {
                    FormField(label: "Code", name: "code", value: model.input?.code, hint: "Letters, digits and hyphens, such as OPS-PRIMARY")
                    FormField(label: "Name", name: "name", value: model.input?.name)
                    FormField(label: "Duty size", name: "duty_size", type: .number, value: model.input?.duty_size.map(String.init) ?? "1")
                }
                .class("form-grid")
                Label("Members (emails from People, one per line, in rotation order)") {
                    TextArea(text: (model.input?.members ?? []).joined(separator: "\n"), name: "members_text", numberOfRows: 4)
                }
                .class("field")
                Button("Create rotation").class("button primary").attribute(named: "type", value: "submit")
            }
            .class("card")
        }
    }
}

enum RotationPage {
    /// Audit actions in words.
    static func describe(_ action: String) -> String {
        switch action {
        case "rotation.handoff": "Handoff"
        case "rotation.rotated": "Rotated by hand"
        case "rotation.set_on_duty": "Put on duty"
        case "rotation.schedule_changed": "Schedule changed"
        case "rotation.created": "Created"
        case "rotation.updated": "Edited"
        default: action.replacingOccurrences(of: "rotation.", with: "").replacingOccurrences(of: "_", with: " ").capitalized
        }
    }

    struct Model {
        let code: String
        let name: String
        let description: String?
        let schedule: String
        let scheduleType: String
        let scheduleTime: String?
        let scheduleWeekdays: [Int]
        let timeZone: String
        let nextHandoff: Date?
        let onDuty: [(name: String, email: String)]
        let roster: [(name: String, email: String, linked: Bool, onDuty: Bool)]
        let shifts: [(start: Date, end: Date, people: [String])]
        let owners: [String]
        let canEdit: Bool
        let error: String?
        let problem: String?
        let syncedAt: Date?
        let external: External?
        let history: [(at: Date, actor: String, action: String, before: String?, after: String?)]
    }

    /// The External (PagerDuty) group of the schedule editor; nil when PagerDuty is not connected.
    struct External {
        struct Found { let id: String; let name: String; let timeZone: String; let users: Int }
        struct Preview {
            let id: String
            let name: String
            let timeZone: String
            let layers: [(name: String, members: [String])]
            let shifts: [(start: Date, end: Date?, person: String)]
        }
        let query: String?
        let found: [Found]
        let preview: Preview?
        let error: String?
    }

    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("\(model.name) · \(model.code)")
            if let description = model.description { Paragraph(description).class("muted") }
            if let error = model.error {
                Div(error).class("flash flash-error").attribute(named: "role", value: "alert")
            }
            if let problem = model.problem {
                Div(problem).class("flash flash-error").attribute(named: "role", value: "status").id("sync-problem")
            }
            Div {
                Article {
                    H2("On duty")
                    if model.onDuty.isEmpty {
                        Paragraph("Nobody: the rotation has no members.").class("muted")
                    } else {
                        List(model.onDuty.map { "\($0.name) (\($0.email))" }).id("on-duty")
                    }
                    Paragraph(model.nextHandoff.map { "Next handoff: \($0.displayString)" } ?? "Hands over when someone rotates it.").class("muted")
                    if let synced = model.syncedAt {
                        Paragraph("Follows PagerDuty; last synced \(synced.displayString).").class("muted")
                    }
                    if model.canEdit && model.scheduleType != "pagerduty" {
                        Form(url: "/rotations/\(model.code)/rotate", method: .post) {
                            CSRFField(token: context.csrfToken)
                            Button("Rotate now").class("button primary").attribute(named: "type", value: "submit").id("rotate")
                        }
                    }
                }
                .class("card")
                Article {
                    H2("Members")
                    Paragraph("\(model.roster.filter(\.linked).count) of \(model.roster.count) linked").class("badge badge-muted")
                    if model.scheduleType == "pagerduty" {
                        Paragraph("Members come from the PagerDuty schedule and cannot be edited here.").class("muted")
                    }
                    List(model.roster.map { "\($0.name) (\($0.email))\($0.onDuty ? " — on duty" : "")\($0.linked ? "" : " — unlinked")" })
                    Paragraph("Owners: \(model.owners.joined(separator: ", "))").class("muted")
                }
                .class("card")
            }
            .class("tiles")
            H2("Upcoming shifts (14 days)")
            Div {
                Table(
                    header: TableRow {
                        TableHeaderCell("From")
                        TableHeaderCell("Until")
                        TableHeaderCell("On duty")
                    },
                    rows: {
                        for shift in model.shifts {
                            TableRow {
                                TableCell(shift.start.displayString)
                                TableCell(shift.end.displayString)
                                TableCell(shift.people.joined(separator: ", "))
                            }
                        }
                    }
                )
                .class("table")
            }
            .class("table-wrap")
            H2("History")
            if model.history.isEmpty {
                Paragraph("No duty changes or edits yet.").class("muted")
            } else {
                Div {
                    Table(
                        header: TableRow {
                            TableHeaderCell("When")
                            TableHeaderCell("What")
                            TableHeaderCell("Before")
                            TableHeaderCell("After")
                            TableHeaderCell("By")
                        },
                        rows: {
                            for event in model.history {
                                TableRow {
                                    TableCell(event.at.displayString)
                                    TableCell(Self.describe(event.action))
                                    TableCell(event.before ?? "")
                                    TableCell(event.after ?? "")
                                    TableCell(event.actor)
                                }
                            }
                        }
                    )
                    .class("table").id("history")
                }
                .class("table-wrap")
            }
            if model.canEdit, let external = model.external {
                H2("External: follow a PagerDuty schedule")
                ExternalPanel(code: model.code, external: external, csrf: context.csrfToken)
            }
            if model.canEdit {
                H2("Schedule")
                Paragraph("Now: \(model.schedule)").class("muted")
                Form(url: "/rotations/\(model.code)/schedule", method: .post) {
                    CSRFField(token: context.csrfToken)
                    Div {
                        Label("Type") {
                            Select(name: "type", options: [("manual", "Manual (Rotate button)"), ("daily", "Daily"), ("weekly", "Weekly"), ("weekdays", "Custom days")],
                                   selected: model.scheduleType)
                        }
                        .class("field")
                        FormField(label: "Time (HH:mm)", name: "time", value: model.scheduleTime, required: false)
                        FormField(label: "Days (1 = Monday … 7 = Sunday)", name: "weekdays_text",
                                  value: model.scheduleWeekdays.map(String.init).joined(separator: ","), required: false, hint: "For weekly: one day; for custom days: several, such as 1,2,3,4,5")
                        FormField(label: "Time zone", name: "time_zone", value: model.timeZone, hint: "IANA name, such as Europe/Berlin")
                    }
                    .class("form-grid")
                    Button("Save schedule").class("button").attribute(named: "type", value: "submit")
                }
                .class("card")
            }
        }
    }
}

private struct ExternalPanel: Component {
    let code: String
    let external: RotationPage.External
    let csrf: String

    func previewURL(_ id: String) -> String {
        let query = (external.query ?? "").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "/rotations/\(code)?pd_query=\(query)&preview=\(id)"
    }

    var body: Component {
        Div {
            Paragraph("Bind this rotation to a PagerDuty schedule: its members and who is on duty then come from PagerDuty, and its own schedule and member list are replaced.").class("muted")
            Form(url: "/rotations/\(code)", method: .get) {
                Input(type: .search, name: "pd_query", value: external.query, placeholder: "Search PagerDuty schedules by name")
                Button("Search").class("button").attribute(named: "type", value: "submit")
            }
            .class("search-row")
            if let error = external.error {
                Div(error).class("flash flash-error").attribute(named: "role", value: "alert")
            }
            if external.query != nil && external.found.isEmpty && external.error == nil {
                Paragraph("No PagerDuty schedule matches.").class("muted")
            }
            if !external.found.isEmpty {
                List(external.found) { found in
                    Link("\(found.name) — \(found.timeZone), \(found.users) people", url: previewURL(found.id))
                }
                .id("pd-results")
            }
            if let preview = external.preview {
                Article {
                    H3("Preview: \(preview.name) (\(preview.timeZone))")
                    for layer in preview.layers {
                        Paragraph("\(layer.name): \(layer.members.joined(separator: ", "))")
                    }
                    Paragraph("Next shifts").class("muted")
                    List(preview.shifts.prefix(8).map { "\($0.start.displayString) → \($0.end?.displayString ?? "open"): \($0.person)" })
                    Form(url: "/rotations/\(code)/schedule", method: .post) {
                        CSRFField(token: csrf)
                        Input(type: .hidden, name: "type", value: "pagerduty")
                        Input(type: .hidden, name: "schedule_id", value: preview.id)
                        Button("Follow this schedule").class("button primary").attribute(named: "type", value: "submit").id("bind-schedule")
                    }
                }
                .class("card").id("pd-preview")
            }
        }
        .class("card")
    }
}
