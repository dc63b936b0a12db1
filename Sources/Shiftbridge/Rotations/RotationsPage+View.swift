import Foundation
import Plot
import ShiftbridgeCore

extension RotationsPage {
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
                                    TableCell(row.schedule).class(row.unreadable ? "unreadable" : "")
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
                ErrorFlash(message: error)
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
