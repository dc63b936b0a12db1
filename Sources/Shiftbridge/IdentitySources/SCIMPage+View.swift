import Foundation
import Plot

extension SCIMPage {
    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("Settings")
            SettingsTabs(current: .scim, isAdmin: context.isAdmin)
            Paragraph("Okta, Microsoft Entra ID and other identity providers push people here over SCIM 2.0. Each pushed user becomes an employee, and every change goes through the role rules, the plan and review (or autopilot) like an HR import: a deactivated user becomes a termination checked for open incidents, schedules and escalation policies, never an instant delete.").class("muted")
            Div {
                Paragraph("SCIM base URL").class("muted")
                Element(name: "code") { Text(model.baseURL ?? PublicLinks.notSet) }.id("scim-base-url")
                Paragraph("Authentication: HTTP header, Bearer token. Users pushed so far: \(model.pushedUsers).").class("muted")
            }
            .class("card")
            if !model.withoutEmail.isEmpty {
                Paragraph("\(model.withoutEmail.count) pushed user(s) have no email address, so nobody is provisioned for them until the identity provider sends one: \(model.withoutEmail.prefix(10).joined(separator: ", "))\(model.withoutEmail.count > 10 ? ", …" : "").")
                    .class("flash flash-error").id("scim-without-email")
            }
            if let token = model.newToken {
                OneTimeSecret(intro: "SCIM token '\(token.name)' created. Paste it into the identity provider now; it is not shown again:", value: token.value, id: "new-scim-token")
            }
            if let error = model.error {
                ErrorFlash(message: error)
            }
            if model.tokens.isEmpty {
                Paragraph("No SCIM tokens yet.").class("muted")
            } else {
                Div {
                    Table(
                        header: TableRow {
                            TableHeaderCell("Name")
                            TableHeaderCell("Token")
                            TableHeaderCell("Created")
                            TableHeaderCell("Last used")
                            TableHeaderCell("")
                        },
                        rows: {
                            for token in model.tokens {
                                TableRow {
                                    TableCell(token.name)
                                    TableCell("…\(token.last4)")
                                    TableCell("\(token.createdAt.displayString) by \(token.createdBy)")
                                    TableCell(token.lastUsedAt?.displayString ?? "never")
                                    TableCell {
                                        if let revoked = token.revokedAt {
                                            Text("Revoked \(revoked.displayString)")
                                        } else {
                                            Form(url: "/settings/scim/tokens/\(token.id)/revoke", method: .post) {
                                                CSRFField(token: context.csrfToken)
                                                Button("Revoke").class("button small danger").attribute(named: "type", value: "submit")
                                            }
                                            .attribute(named: "data-confirm", value: "Revoke the SCIM token '\(token.name)'? The identity provider can no longer push people.")
                                        }
                                    }
                                }
                            }
                        }
                    )
                    .class("table").id("scim-tokens")
                }
                .class("table-wrap")
            }
            H2("New SCIM token")
            Form(url: "/settings/scim/tokens", method: .post) {
                CSRFField(token: context.csrfToken)
                FormField(label: "Name", name: "name", autocomplete: "off", hint: "The identity provider that will use it, such as okta")
                Button("Create token").class("button primary").attribute(named: "type", value: "submit").id("create-scim-token")
            }
            .class("card")
        }
    }
}
