import Foundation
import Plot

/// The rotation page's Outputs section: where duty goes in Slack, what was last applied,
/// and what needs attention; a form for owners.
struct SlackOutputsPanel: Component {
    let code: String
    let outputs: SlackOutputsDTO
    let canEdit: Bool
    let connected: Bool
    let csrf: String

    var body: Component {
        Div {
            H3("Slack")
            if !connected {
                Paragraph("Slack is not connected: connect it under Settings → Integrations for these to take effect.").class("muted")
            }
            for problem in outputs.state.problems {
                Paragraph(problem).class("flash flash-error").attribute(named: "role", value: "status")
            }
            Element(name: "dl") {
                for group in outputs.state.groups {
                    FactRow(term: "@\(group.usergroup)", value: group.pending ? "being updated"
                        : "\(group.members.count) member(s), last right \(group.last_success_at?.displayString ?? "—")"
                            + (group.stale_since.map { "; stale since \($0.displayString)" } ?? ""))
                }
                if let topic = outputs.state.topic {
                    FactRow(term: "Topic", value: topic.pending ? "being updated" : (topic.topic ?? "—"))
                }
                FactRow(term: "Linked to Slack", value: "\(outputs.state.linked) of \(outputs.state.members) members")
            }
            .class("facts").id("slack-outputs-state")
            if canEdit {
                Form(url: "/rotations/\(code)/outputs/slack", method: .post) {
                    CSRFField(token: csrf)
                    Div {
                        FormField(label: "On-duty user group", name: "on_duty_usergroup", value: outputs.on_duty_usergroup, required: false,
                                  hint: "A handle such as platform-oncall (created if missing) or a group id; holds exactly who is on duty")
                        FormField(label: "Permanent members", name: "permanent_members", value: outputs.permanent_members.joined(separator: ", "), required: false,
                                  hint: "Emails, separated by commas: always in the on-duty group")
                        FormField(label: "Roster user group", name: "roster_usergroup", value: outputs.roster_usergroup, required: false,
                                  hint: "Holds every member of the rotation")
                        FormField(label: "Channel id", name: "channel", value: outputs.channel, required: false, hint: "Such as C0123ABCD; for the topic and messages")
                        FormField(label: "Topic", name: "topic_template", value: outputs.topic_template, required: false,
                                  hint: "Fields: {on_duty} {previous} {next} {until} {rotation} {code}")
                        FormField(label: "Handoff message", name: "handoff_message_template", value: outputs.handoff_message_template, required: false,
                                  hint: "Posted in the channel at each duty change")
                        FormField(label: "Direct message before duty (minutes)", name: "dm_before_minutes", value: outputs.dm_before_minutes.map(String.init),
                                  required: false, hint: "Empty: no direct messages")
                    }
                    .class("form-grid")
                    Button("Save outputs").class("button").attribute(named: "type", value: "submit").id("save-slack-outputs")
                }
            }
        }
        .class("card").id("slack-outputs")
    }
}
