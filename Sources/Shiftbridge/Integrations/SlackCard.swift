import Foundation
import Plot

/// The Slack card: connect with tokens or install with OAuth v2, then the team, the last
/// four characters of each token, the scopes and what needs attention.
struct SlackCard: Component {
    let model: IntegrationsPage.Model
    let csrf: String
    var summary: SlackConnectionSummary { model.slack }

    var body: Component {
        Article {
            Header {
                H2("Slack")
                badge
            }
            .class("card-head")
            if let error = model.error(for: .slack) {
                ErrorFlash(message: error).id("slack-error")
            }
            if summary.status == "disconnected" {
                Paragraph("Keep a user group such as @platform-oncall holding whoever is on duty, set channel topics and post at each handover. Connect with the app's tokens, or install it with OAuth.")
                if model.canManage {
                    Link("Connect", url: "#connect-slack").class("button primary").id("connect-slack-button")
                }
            } else {
                details
                if model.canManage { actions }
            }
            if model.canManage { SlackConnectDialog(model: model, csrf: csrf) }
        }
        .class("card integration").id("slack-card")
    }

    private var badge: Component {
        let (text, kind): (String, String) = switch summary.status {
        case "active": ("Active", "ok")
        case "attention": ("Needs attention", "warn")
        case "token_revoked": ("Token revoked", "bad")
        default: ("Not connected", "muted")
        }
        return Span(text).class("badge badge-\(kind)").id("slack-status")
    }

    private var details: Component {
        Element(name: "dl") {
            FactRow(term: "Workspace", value: summary.team ?? "")
            FactRow(term: "Method", value: summary.method == "oauth" ? "OAuth v2 install" : "Tokens")
            FactRow(term: "Bot token", value: "…\(summary.token_last4 ?? "")", id: "slack-last4")
            FactRow(term: "User token", value: summary.user_token_last4.map { "…\($0)" } ?? "none (only needed where only admins may edit user groups)")
            FactRow(term: "Signing secret", value: summary.signing_secret_last4.map { "…\($0) (for /oncall)" } ?? "none: /oncall is off")
            FactRow(term: "Members", value: "\(summary.members ?? 0), read \(summary.members_read_at?.displayString ?? "—")")
            FactRow(term: "Scopes", value: (summary.scopes ?? []).joined(separator: " "))
            for problem in summary.problems { FactRow(term: "Problem", value: problem) }
            FactRow(term: "Connected", value: "\(summary.connected_at?.displayString ?? "—") by \(summary.connected_by ?? "—")")
            FactRow(term: "Web API", value: summary.base_url ?? "")
        }
        .class("facts")
    }

    @ComponentBuilder private var actions: Component {
        Div {
            Link("Edit", url: "#connect-slack").class("button").id("edit-slack-button")
            Form(url: "/settings/integrations/slack/refresh", method: .post) {
                CSRFField(token: csrf)
                Button("Refresh").class("button").attribute(named: "type", value: "submit").id("refresh-slack")
            }
            Element(name: "details") {
                Element(name: "summary") { Text("Disconnect") }.class("button danger").id("disconnect-slack-button")
                Form(url: "/settings/integrations/slack/disconnect", method: .post) {
                    CSRFField(token: csrf)
                    Paragraph("Disconnect Slack? Stored tokens are deleted. Groups and topics stay as they are in Slack and stop following duty.")
                    Button("Yes, disconnect").class("button danger").attribute(named: "type", value: "submit").id("confirm-disconnect-slack")
                }
            }
        }
        .class("actions")
    }
}
