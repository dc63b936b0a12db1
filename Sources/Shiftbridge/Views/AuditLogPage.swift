import Foundation
import Plot

enum AuditLogPage {
    struct Row: Sendable {
        let time: Date
        let actor: String
        let action: String
        let target: String
        let before: String?
        let after: String?
    }

    struct Model {
        let rows: [Row]
        let page: Int
        let hasMore: Bool
    }

    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("Audit log")
            Paragraph("Every change made through Shiftbridge, newest first.").class("muted")
            AuditTable(rows: model.rows)
            Div {
                if model.page > 1 { Link("← Newer", url: "/audit?page=\(model.page - 1)").class("button") }
                if model.hasMore { Link("Older →", url: "/audit?page=\(model.page + 1)").class("button") }
            }
            .class("pager")
        }
    }
}

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
