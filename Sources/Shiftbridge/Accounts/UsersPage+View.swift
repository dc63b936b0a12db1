import Foundation
import Plot

extension UsersPage {
    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("Settings")
            SettingsTabs(current: .users, isAdmin: context.isAdmin)
            Paragraph("Administrators manage integrations, provisioning, webhooks and every rotation. Users see public rotations and their own, edit the rotations they own, and read the history of what they may see.").class("muted")
            if let link = model.newLink {
                OneTimeSecret(intro: "Invitation for \(link.email) created. Send them this link; it is shown only now and works once, for 7 days:", value: link.url, id: "invitation-link")
            }
            if let error = model.error {
                ErrorFlash(message: error)
            }
            Div {
                Table(
                    header: TableRow {
                        TableHeaderCell("Email")
                        TableHeaderCell("Role")
                        TableHeaderCell("Since")
                        TableHeaderCell("")
                    },
                    rows: {
                        for account in model.accounts {
                            TableRow {
                                TableCell(account.email + (account.isViewer ? " (you)" : ""))
                                TableCell(account.role == .admin ? "Administrator" : "User")
                                TableCell(account.createdAt?.displayString ?? "—")
                                TableCell {
                                    if !account.isViewer {
                                        Form(url: "/settings/users/\(account.id)/role", method: .post) {
                                            CSRFField(token: context.csrfToken)
                                            Input(type: .hidden, name: "role", value: account.role == .admin ? "user" : "admin")
                                            Button(account.role == .admin ? "Make user" : "Make administrator").class("button small secondary")
                                                .attribute(named: "type", value: "submit")
                                        }
                                        .class("inline")
                                        Form(url: "/settings/users/\(account.id)/remove", method: .post) {
                                            CSRFField(token: context.csrfToken)
                                            Button("Remove").class("button small danger").attribute(named: "type", value: "submit")
                                        }
                                        .class("inline")
                                        .attribute(named: "data-confirm", value: "Remove \(account.email)? Their sessions and API tokens stop working at once.")
                                    }
                                }
                            }
                        }
                    }
                )
                .class("table").id("users")
            }
            .class("table-wrap")
            if !model.invitations.isEmpty {
                H2("Open invitations")
                List(model.invitations) { invitation in
                    ListItem {
                        Text("\(invitation.email) as \(invitation.role == .admin ? "administrator" : "user"), by \(invitation.invitedBy), until \(invitation.expiresAt.displayString) ")
                        Form(url: "/settings/users/invitations/\(invitation.id)/revoke", method: .post) {
                            CSRFField(token: context.csrfToken)
                            Button("Revoke").class("button small secondary").attribute(named: "type", value: "submit")
                        }
                        .class("inline")
                    }
                }
                .id("invitations")
            }
            H2("Invite someone")
            Form(url: "/settings/users/invitations", method: .post) {
                CSRFField(token: context.csrfToken)
                Div {
                    FormField(label: "Email", name: "email", autocomplete: "off", inputMode: "email")
                    Label("Role") {
                        Select(name: "role", options: [("user", "User"), ("admin", "Administrator")], selected: "user", id: "role")
                    }
                    .class("field")
                }
                .class("form-grid")
                Button("Create invitation link").class("button primary").attribute(named: "type", value: "submit").id("invite")
            }
            .class("card")
        }
    }
}
