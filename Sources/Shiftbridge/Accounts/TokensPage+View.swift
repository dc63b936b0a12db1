import Foundation
import Plot

extension TokensPage {
    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("Settings")
            SettingsTabs(current: .tokens, isAdmin: context.isAdmin)
            Paragraph("Scripts and tools call /api/v1 with Authorization: Bearer <token>. A token acts as the account that made it; revoke it the moment it is no longer needed.").class("muted")
            if let token = model.newToken {
                OneTimeSecret(intro: "Token '\(token.name)' created. Store it now; it is not shown again:", value: token.value, id: "new-token")
            }
            if let error = model.error {
                ErrorFlash(message: error)
            }
            if model.tokens.isEmpty {
                Paragraph("No API tokens yet.").class("muted")
            } else {
                Div {
                    Table(
                        header: TableRow {
                            TableHeaderCell("Name")
                            if model.showsOwners { TableHeaderCell("Account") }
                            TableHeaderCell("Token")
                            TableHeaderCell("Created")
                            TableHeaderCell("Last used")
                            TableHeaderCell("")
                        },
                        rows: {
                            for token in model.tokens {
                                TableRow {
                                    TableCell(token.name)
                                    if model.showsOwners { TableCell(token.owner) }
                                    TableCell("…\(token.last4)")
                                    TableCell(token.createdAt?.displayString ?? "—")
                                    TableCell(token.lastUsedAt?.displayString ?? "never")
                                    TableCell {
                                        Form(url: "/settings/tokens/\(token.id)/revoke", method: .post) {
                                            CSRFField(token: context.csrfToken)
                                            Button("Revoke").class("button small danger").attribute(named: "type", value: "submit")
                                        }
                                        .attribute(named: "data-confirm", value: "Revoke the token '\(token.name)'? Whatever uses it stops working at once.")
                                    }
                                }
                            }
                        }
                    )
                    .class("table").id("tokens")
                }
                .class("table-wrap")
            }
            H2("New token")
            Form(url: "/settings/tokens", method: .post) {
                CSRFField(token: context.csrfToken)
                FormField(label: "Name", name: "name", autocomplete: "off", hint: "What will use it, such as grafana")
                Button("Create token").class("button primary").attribute(named: "type", value: "submit").id("create-token")
            }
            .class("card")
        }
    }
}
