import Foundation
import Plot

struct PagerDutyCard: Component {
    let model: IntegrationsPage.Model
    let csrf: String
    var summary: PagerDutyConnectionSummary { model.pagerDuty }

    var body: Component {
        Article {
            Header {
                H2("PagerDuty")
                badge
            }
            .class("card-head")
            if let error = model.error(for: .pagerDuty) {
                ErrorFlash(message: error).id("pagerduty-error")
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
            FactRow(term: "Method", value: summary.method == "oauth" ? "OAuth 2.0" : "API key")
            FactRow(term: "Region", value: (summary.region ?? "us").uppercased())
            if let account = summary.account { FactRow(term: "Account", value: account) }
            FactRow(term: summary.method == "oauth" ? "Client ID" : "API key", value: "…\(summary.key_last4 ?? "")", id: "pagerduty-last4")
            if summary.read_only == true {
                FactRow(term: "Access", value: summary.method == "oauth"
                    ? "Read only: provisioning needs the users.write and teams.write scopes"
                    : "Read-only key: enough for rotations; provisioning needs a full-access key")
            }
            if let scopes = summary.scopes { FactRow(term: "Scopes", value: scopes.joined(separator: " ")) }
            if let detail = summary.status_detail, summary.status != "active" { FactRow(term: "Problem", value: detail) }
            FactRow(term: "Connected", value: "\(summary.connected_at?.displayString ?? "—") by \(summary.connected_by ?? "—")")
            FactRow(term: "Last successful call", value: summary.last_success_at?.displayString ?? "—")
            if let used = summary.requests_last_minute, let limit = summary.request_limit {
                FactRow(term: "Requests, last minute", value: "\(used) of \(limit)" + ((summary.requests_by_purpose ?? [:]).isEmpty ? "" : ": "
                    + (summary.requests_by_purpose ?? [:]).sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")),
                        id: "pagerduty-budget")
            }
            FactRow(term: "API", value: summary.base_url ?? "")
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
