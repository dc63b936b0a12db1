import Foundation
import Plot

/// Settings → Webhooks: outbound webhooks and their delivery log.
extension WebhooksPage {
    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("Settings")
            SettingsTabs(current: .webhooks, isAdmin: context.isAdmin)
            Paragraph("Every duty change is POSTed as JSON to these URLs, signed: X-Shiftbridge-Signature is v1= and the hex HMAC-SHA256 of \"<X-Shiftbridge-Timestamp>.<body>\" with the webhook's secret. Failed deliveries are retried with backoff, up to 8 times.").class("muted")
            if let created = model.newSecret {
                OneTimeSecret(intro: "Webhook for \(created.url) created. Its secret is shown only now:", value: created.secret, id: "webhook-secret")
            }
            if let error = model.error {
                ErrorFlash(message: error)
            }
            if model.hooks.isEmpty {
                Paragraph("No webhooks yet.").class("muted")
            }
            for hook in model.hooks {
                Article {
                    Header {
                        H2(hook.url)
                        Span(hook.rotation.map { "rotation \($0)" } ?? "all rotations").class("badge badge-muted")
                    }
                    .class("card-head")
                    Paragraph("Secret …\(hook.last4)").class("muted")
                    if hook.deliveries.isEmpty {
                        Paragraph("No deliveries yet.").class("muted")
                    } else {
                        Div {
                            Table(
                                header: TableRow {
                                    TableHeaderCell("Event at")
                                    TableHeaderCell("Status")
                                    TableHeaderCell("Attempts")
                                    TableHeaderCell("Last answer")
                                },
                                rows: {
                                    for delivery in hook.deliveries {
                                        TableRow {
                                            TableCell(delivery.at.displayString)
                                            TableCell { Span(delivery.status).class("badge badge-\(delivery.status == "delivered" ? "ok" : delivery.status == "failed" ? "bad" : "warn")") }
                                            TableCell("\(delivery.attempts)")
                                            TableCell(delivery.detail)
                                        }
                                    }
                                }
                            )
                            .class("table")
                        }
                        .class("table-wrap")
                    }
                    Form(url: "/settings/webhooks/\(hook.id)/delete", method: .post) {
                        CSRFField(token: context.csrfToken)
                        Button("Delete").class("button danger").attribute(named: "type", value: "submit")
                    }
                    .attribute(named: "data-confirm", value: "Delete the webhook for \(hook.url)?")
                }
                .class("card")
            }
            H2("Add a webhook")
            Form(url: "/settings/webhooks", method: .post) {
                CSRFField(token: context.csrfToken)
                Div {
                    FormField(label: "URL", name: "url", type: .url)
                    FormField(label: "Rotation code (empty: all rotations)", name: "rotation", required: false)
                }
                .class("form-grid")
                Button("Add webhook").class("button primary").attribute(named: "type", value: "submit")
            }
            .class("card")
        }
    }
}
