import Foundation
import Plot

/// Audit events as a table: the log page and the overview show it.
struct AuditTable: Component {
    let rows: [AuditLogPage.Row]

    var body: Component {
        if rows.isEmpty {
            return Paragraph("Nothing recorded yet.").class("muted")
        }
        return Div {
            Table(
                header: TableRow {
                    TableHeaderCell("Time")
                    TableHeaderCell("Actor")
                    TableHeaderCell("Action")
                    TableHeaderCell("Target")
                    TableHeaderCell("Before")
                    TableHeaderCell("After")
                },
                rows: {
                    for row in rows {
                        TableRow {
                            TableCell { Time(datetime: ISO8601DateFormatter().string(from: row.time)) { Text(row.time.displayString) } }
                            TableCell(row.actor)
                            TableCell { Node<HTML.BodyContext>.element(named: "code", text: row.action) }
                            TableCell(row.target)
                            TableCell(row.before ?? "—")
                            TableCell(row.after ?? "—")
                        }
                    }
                }
            )
            .class("table")
        }
        .class("table-wrap")
    }
}
