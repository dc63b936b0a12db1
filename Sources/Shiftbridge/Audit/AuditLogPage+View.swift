import Foundation
import Plot

extension AuditLogPage {
    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("Audit log")
            Paragraph("Every change made through Shiftbridge, newest first.").class("muted")
            if let error = model.error { ErrorFlash(message: error) }
            Form(url: "/audit", method: .get) {
                Div {
                    FormField(label: "Actor", name: "actor", value: model.filters.actor, required: false, autocomplete: "off", hint: "An email, or pagerduty")
                    Label("Action") {
                        Select(name: "action", options: [("", "Any action")] + model.actions.map { ($0, $0) }, selected: model.filters.action ?? "")
                    }
                    .class("field")
                    FormField(label: "Target", name: "target", value: model.filters.target, required: false, autocomplete: "off",
                              hint: "Such as rotation:OPS or person:ann@example.com")
                    FormField(label: "From (date)", name: "from", type: .date, value: model.filters.from, required: false)
                    FormField(label: "To (date, inclusive)", name: "to", type: .date, value: model.filters.to, required: false)
                }
                .class("form-grid")
                Div {
                    Button("Filter").class("button primary").attribute(named: "type", value: "submit").id("filter-audit")
                    Link("Clear", url: "/audit").class("button")
                }
                .class("button-row")
            }
            .class("card filters").attribute(named: "role", value: "search")
            AuditTable(rows: model.rows)
            Navigation {
                if model.page > 1 { Link("← Newer", url: link(model, page: model.page - 1)).class("button") }
                Span("Page \(model.page)").class("muted")
                if model.hasMore { Link("Older →", url: link(model, page: model.page + 1)).class("button") }
            }
            .class("pager").attribute(named: "aria-label", value: "Pages")
        }
    }

    static func link(_ model: Model, page: Int) -> String {
        let filters = model.filters.query
        return "/audit?page=\(page)" + (filters.isEmpty ? "" : "&" + filters)
    }
}
