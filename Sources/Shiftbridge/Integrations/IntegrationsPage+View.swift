import Foundation
import Plot

/// Settings → Integrations: one card per provider (PagerDuty, Slack).
extension IntegrationsPage {
    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("Settings")
            SettingsTabs(current: .integrations, isAdmin: context.isAdmin)
            Paragraph("Connect the services Shiftbridge works with. Only administrators can change these.").class("muted")
            Paragraph {
                Text("Outbound notifications of duty changes: ")
                Link("Webhooks", url: "/settings/webhooks")
            }
            Div {
                PagerDutyCard(model: model, csrf: context.csrfToken)
                SlackCard(model: model, csrf: context.csrfToken)
            }
            .class("cards")
        }
    }
}
