import Foundation
import Plot

/// Audit events as a table: when, who, what, to what, and the change field by field.
struct AuditTable: Component {
    let rows: [AuditLogPage.Row]

    var body: Component {
        if rows.isEmpty {
            return Paragraph("Nothing recorded that matches.").class("muted")
        }
        return Div {
            Table(
                header: TableRow {
                    TableHeaderCell("Time")
                    TableHeaderCell("Actor")
                    TableHeaderCell("Action")
                    TableHeaderCell("Target")
                    TableHeaderCell("Change")
                },
                rows: {
                    for row in rows {
                        TableRow {
                            TableCell { When(date: row.time, relative: false) }
                            TableCell(row.actor)
                            TableCell { Node<HTML.BodyContext>.element(named: "code", text: row.action) }
                            TableCell(row.target)
                            TableCell { AuditDiffView(diff: AuditDiff(before: row.before, after: row.after)) }
                        }
                    }
                }
            )
            .class("table audit")
        }
        .class("table-wrap")
    }
}
