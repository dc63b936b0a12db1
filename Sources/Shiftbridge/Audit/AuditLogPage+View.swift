import Foundation
import Plot

extension AuditLogPage {
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
