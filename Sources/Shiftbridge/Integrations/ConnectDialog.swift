import Foundation
import Plot

/// The connect dialog: shown by CSS `:target`, so it works without JavaScript.
struct ConnectDialog: Component {
    let id: String
    let title: String
    let model: IntegrationsPage.Model
    let csrf: String
    let keyOnly: Bool

    var body: Component {
        Div {
            Div {
                Header {
                    H2(title)
                    Link("Close", url: "#").class("close").attribute(named: "aria-label", value: "Close")
                }
                .class("modal-head")
                Element(name: "section") {
                    H3("API key")
                    Paragraph("In PagerDuty: Integrations → API Access Keys → Create New API Key. A read-only key is enough for rotations.").class("muted")
                    Form(url: "/settings/integrations/pagerduty/api-key", method: .post) {
                        CSRFField(token: csrf)
                        FormField(label: "API key", name: "api_key", type: .password, autocomplete: "new-password")
                        RegionField(name: "region")
                        AdvancedHostFields(fields: [("API base URL", "base_url", "https://api.pagerduty.com")], idPrefix: "\(id)-key-")
                        Button(keyOnly ? "Save API Key" : "Connect with API Key").class("button primary").attribute(named: "type", value: "submit").id("connect-api-key")
                    }
                }
                if !keyOnly {
                    Element(name: "section") {
                        H3("OAuth 2.0")
                        Paragraph("In PagerDuty: Integrations → App Registration → new app with Scoped OAuth. Register this redirect URL:").class("muted")
                        Div {
                            Element(name: "code") { Text(model.redirectURI ?? PublicLinks.notSet) }.id("redirect-uri")
                            Button("Copy").class("button small").attribute(named: "type", value: "button").attribute(named: "data-copy", value: model.redirectURI ?? "")
                        }
                        .class("copy-row")
                        Paragraph("Grant read access to Schedules, Teams, Users, On-Calls and Audit Records (scopes \((PagerDutyConnector.rotationScopes + ["audit_records.read"]).joined(separator: " "))). Add Users and Teams write access only if Shiftbridge will provision users.").class("muted")
                        Form(url: "/settings/integrations/pagerduty/oauth", method: .post) {
                            CSRFField(token: csrf)
                            FormField(label: "Client ID", name: "client_id", autocomplete: "off")
                            FormField(label: "Client secret", name: "client_secret", type: .password, autocomplete: "new-password")
                            RegionField(name: "region")
                            Label("Also allow provisioning (asks for users.write and teams.write)") {
                                Input(type: .checkbox, name: "provisioning", value: "1")
                            }
                            .class("check")
                            AdvancedHostFields(fields: [("API base URL", "base_url", "https://api.pagerduty.com"), ("Identity URL", "identity_url", "https://identity.pagerduty.com")],
                                               idPrefix: "\(id)-oauth-")
                            Button("Connect with OAuth").class("button primary").attribute(named: "type", value: "submit").id("connect-oauth")
                        }
                    }
                }
            }
            .class("modal-body")
        }
        .class("modal").id(id).attribute(named: "role", value: "dialog").attribute(named: "aria-label", value: title)
    }
}
