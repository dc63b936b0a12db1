import Foundation
import Plot

/// Connecting Slack: paste the app's tokens, or install it with OAuth v2. Shown by CSS
/// `:target`, so it works without JavaScript.
struct SlackConnectDialog: Component {
    let model: IntegrationsPage.Model
    let csrf: String

    var body: Component {
        Div {
            Div {
                Header {
                    H2("Connect Slack")
                    Link("Close", url: "#").class("close").attribute(named: "aria-label", value: "Close")
                }
                .class("modal-head")
                Paragraph("Create a Slack app with these bot scopes: \(SlackConnector.requiredScopes.joined(separator: " ")).").class("muted")
                Element(name: "section") {
                    H3("Tokens")
                    Paragraph("In the app's OAuth & Permissions page: the Bot User OAuth Token (xoxb-…). Where only admins may edit user groups, also an admin's User OAuth Token (xoxp-…).").class("muted")
                    Form(url: "/settings/integrations/slack/token", method: .post) {
                        CSRFField(token: csrf)
                        FormField(label: "Bot token", name: "bot_token", type: .password, autocomplete: "new-password")
                        FormField(label: "User token (optional)", name: "user_token", type: .password, required: false, autocomplete: "new-password")
                        FormField(label: "Signing secret (optional, for /oncall)", name: "signing_secret", type: .password, required: false, autocomplete: "new-password")
                        AdvancedHostFields(fields: [("Web API base URL", "base_url", "https://slack.com/api/")], idPrefix: "slack-token-")
                        Button("Connect with Tokens").class("button primary").attribute(named: "type", value: "submit").id("connect-slack-token")
                    }
                }
                Element(name: "section") {
                    H3("OAuth v2 install")
                    Paragraph("Add this redirect URL under OAuth & Permissions → Redirect URLs:").class("muted")
                    Div {
                        Element(name: "code") { Text(model.slackRedirectURI ?? PublicLinks.notSet) }.id("slack-redirect-uri")
                        Button("Copy").class("button small").attribute(named: "type", value: "button").attribute(named: "data-copy", value: model.slackRedirectURI ?? "")
                    }
                    .class("copy-row")
                    Form(url: "/settings/integrations/slack/oauth", method: .post) {
                        CSRFField(token: csrf)
                        FormField(label: "Client ID", name: "client_id", autocomplete: "off", idPrefix: "slack-")
                        FormField(label: "Client secret", name: "client_secret", type: .password, autocomplete: "new-password", idPrefix: "slack-")
                        FormField(label: "Signing secret (optional, for /oncall)", name: "signing_secret", type: .password, required: false, autocomplete: "new-password",
                                  idPrefix: "slack-oauth-")
                        Label("Also install as me (a user token, for workspaces where only admins edit user groups)") {
                            Input(type: .checkbox, name: "user_token", value: "1")
                        }
                        .class("check")
                        AdvancedHostFields(fields: [("Web API base URL", "base_url", "https://slack.com/api/")], idPrefix: "slack-oauth-")
                        Button("Install with OAuth").class("button primary").attribute(named: "type", value: "submit").id("connect-slack-oauth")
                    }
                }
            }
            .class("modal-body")
        }
        .class("modal").id("connect-slack").attribute(named: "role", value: "dialog").attribute(named: "aria-label", value: "Connect Slack")
    }
}
