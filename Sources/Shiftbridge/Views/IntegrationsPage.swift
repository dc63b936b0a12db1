import Foundation
import Plot

/// Settings → Integrations: one card per provider (PagerDuty today).
enum IntegrationsPage {
    struct Model {
        let pagerDuty: PagerDutyIntegration.Summary
        /// The exact redirect URL to register in PagerDuty's App Registration.
        let redirectURI: String
        let canManage: Bool
        let formError: String?
    }

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
            }
            .class("cards")
        }
    }
}

private struct PagerDutyCard: Component {
    let model: IntegrationsPage.Model
    let csrf: String
    var summary: PagerDutyIntegration.Summary { model.pagerDuty }

    var body: Component {
        Article {
            Header {
                H2("PagerDuty")
                badge
            }
            .class("card-head")
            if let error = model.formError {
                Div(error).class("flash flash-error").attribute(named: "role", value: "alert").id("pagerduty-error")
            }
            if summary.status == "disconnected" {
                Paragraph("Read PagerDuty schedules so rotations can follow them, and provision users from HR data. Connect with an API key (a read-only key is enough for rotations) or with OAuth 2.0.")
                if model.canManage {
                    Link("Connect", url: "#connect-pagerduty").class("button primary").id("connect-pagerduty-button")
                }
                ConnectDialog(id: "connect-pagerduty", title: "Connect PagerDuty", model: model, csrf: csrf, keyOnly: false)
            } else {
                details
                if model.canManage { actions }
            }
        }
        .class("card integration").id("pagerduty-card")
    }

    private var badge: Component {
        let (text, kind): (String, String) = switch summary.status {
        case "active": ("Active", "ok")
        case "needs_reconnection": ("Needs reconnection", "bad")
        case "key_rejected": ("Key rejected by PagerDuty", "bad")
        case "missing_scopes": (summary.status_detail ?? "Missing scopes", "warn")
        default: ("Not connected", "muted")
        }
        return Span(text).class("badge badge-\(kind)").id("pagerduty-status")
    }

    private var details: Component {
        Element(name: "dl") {
            Row(term: "Method", value: summary.method == "oauth" ? "OAuth 2.0" : "API key")
            Row(term: "Region", value: (summary.region ?? "us").uppercased())
            if let account = summary.account { Row(term: "Account", value: account) }
            Row(term: summary.method == "oauth" ? "Client ID" : "API key", value: "…\(summary.key_last4 ?? "")", id: "pagerduty-last4")
            if summary.read_only == true {
                Row(term: "Access", value: summary.method == "oauth"
                    ? "Read only: provisioning needs the users.write and teams.write scopes"
                    : "Read-only key: enough for rotations; provisioning needs a full-access key")
            }
            if let scopes = summary.scopes { Row(term: "Scopes", value: scopes.joined(separator: " ")) }
            if let detail = summary.status_detail, summary.status != "active" { Row(term: "Problem", value: detail) }
            Row(term: "Connected", value: "\(summary.connected_at?.displayString ?? "—") by \(summary.connected_by ?? "—")")
            Row(term: "Last successful call", value: summary.last_success_at?.displayString ?? "—")
            Row(term: "API", value: summary.base_url ?? "")
        }
        .class("facts")
    }

    @ComponentBuilder private var actions: Component {
        Div {
            if summary.method == "oauth" {
                Form(url: "/settings/integrations/pagerduty/refresh", method: .post) {
                    CSRFField(token: csrf)
                    Button("Refresh Connection").class("button").attribute(named: "type", value: "submit").id("refresh-connection")
                }
            } else {
                Link("Edit API Key", url: "#edit-pagerduty-key").class("button").id("edit-key-button")
            }
            Element(name: "details") {
                Element(name: "summary") { Text("Disconnect") }.class("button danger").id("disconnect-button")
                Form(url: "/settings/integrations/pagerduty/disconnect", method: .post) {
                    CSRFField(token: csrf)
                    Paragraph("Disconnect PagerDuty? Stored credentials are deleted and rotations that follow PagerDuty schedules go back to manual, keeping their members.")
                    Button("Yes, disconnect").class("button danger").attribute(named: "type", value: "submit").id("confirm-disconnect")
                }
            }
            .class("confirm")
        }
        .class("actions")
        if summary.method != "oauth" {
            ConnectDialog(id: "edit-pagerduty-key", title: "Edit API key", model: model, csrf: csrf, keyOnly: true)
        }
    }
}

private struct Row: Component {
    let term: String
    let value: String
    var id: String?
    var body: Component {
        ComponentGroup {
            Element(name: "dt") { Text(term) }
            Element(name: "dd") { Text(value) }.attribute(named: "id", value: id)
        }
    }
}

/// The connect dialog: shown by CSS `:target`, so it works without JavaScript.
private struct ConnectDialog: Component {
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
                        FormField(label: "API key", name: "api_key", type: .password, autocomplete: "off")
                        RegionField(name: "region")
                        Advanced(fields: [("API base URL", "base_url", "https://api.pagerduty.com")])
                        Button(keyOnly ? "Save API Key" : "Connect with API Key").class("button primary").attribute(named: "type", value: "submit").id("connect-api-key")
                    }
                }
                if !keyOnly {
                    Element(name: "section") {
                        H3("OAuth 2.0")
                        Paragraph("In PagerDuty: Integrations → App Registration → new app with Scoped OAuth. Register this redirect URL:").class("muted")
                        Div {
                            Element(name: "code") { Text(model.redirectURI) }.id("redirect-uri")
                            Button("Copy").class("button small").attribute(named: "type", value: "button").attribute(named: "data-copy", value: model.redirectURI)
                        }
                        .class("copy-row")
                        Paragraph("Grant read access to Schedules, Teams, Users, On-Calls and Audit Records (scopes \((PagerDutyIntegration.rotationScopes + ["audit_records.read"]).joined(separator: " "))). Add Users and Teams write access only if Shiftbridge will provision users.").class("muted")
                        Form(url: "/settings/integrations/pagerduty/oauth", method: .post) {
                            CSRFField(token: csrf)
                            FormField(label: "Client ID", name: "client_id", autocomplete: "off")
                            FormField(label: "Client secret", name: "client_secret", type: .password, autocomplete: "off")
                            RegionField(name: "region")
                            Label("Also allow provisioning (asks for users.write and teams.write)") {
                                Input(type: .checkbox, name: "provisioning", value: "1")
                            }
                            .class("check")
                            Advanced(fields: [("API base URL", "base_url", "https://api.pagerduty.com"), ("Identity URL", "identity_url", "https://identity.pagerduty.com")])
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

private struct RegionField: Component {
    let name: String
    var body: Component {
        Label("Region") {
            Select(name: name, options: [("us", "US (api.pagerduty.com)"), ("eu", "EU (api.eu.pagerduty.com)")], selected: "us")
        }
        .class("field")
    }
}

private struct Advanced: Component {
    let fields: [(label: String, name: String, placeholder: String)]
    var body: Component {
        Element(name: "details") {
            Element(name: "summary") { Text("Advanced: another API host") }
            for field in fields {
                Label(field.label) {
                    Input(type: .url, name: field.name, placeholder: field.placeholder)
                }
                .class("field")
            }
        }
        .class("advanced")
    }
}
