import Foundation
import Plot
import ShiftbridgeCore

/// The External group of the schedule editor: search PagerDuty schedules, preview one, follow it.
struct ExternalPanel: Component {
    let code: String
    let external: RotationPage.External
    /// The schedules followed now, if any: a previewed one can join them.
    let followed: [String]
    let csrf: String

    func previewURL(_ id: String) -> String {
        let query = (external.query ?? "").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "/rotations/\(code)?pd_query=\(query)&preview=\(id)"
    }

    var body: Component {
        Div {
            Paragraph("Bind this rotation to a PagerDuty schedule: its members and who is on duty then come from PagerDuty, and its own schedule and member list are replaced. Follow several (primary and secondary, or regions) and it holds everyone on call in any of them.").class("muted")
            if !followed.isEmpty {
                Paragraph("Following now: \(followed.joined(separator: " + ")).").class("muted").id("pd-followed")
            }
            Form(url: "/rotations/\(code)", method: .get) {
                Input(type: .search, name: "pd_query", value: external.query, placeholder: "Search PagerDuty schedules by name")
                    .attribute(named: "aria-label", value: "Search PagerDuty schedules by name")
                Button("Search").class("button").attribute(named: "type", value: "submit")
            }
            .class("search-row")
            if let error = external.error {
                ErrorFlash(message: error)
            }
            if external.query != nil && external.found.isEmpty && external.error == nil {
                Paragraph("No PagerDuty schedule matches.").class("muted")
            }
            if !external.found.isEmpty {
                List(external.found) { found in
                    Link("\(found.name) — \(found.timeZone), \(found.users) people", url: previewURL(found.id))
                }
                .id("pd-results")
            }
            if let preview = external.preview {
                Article {
                    H3("Preview: \(preview.name) (\(preview.timeZone))")
                    for layer in preview.layers {
                        Paragraph("\(layer.name): \(layer.members.joined(separator: ", "))")
                    }
                    Paragraph("Next shifts").class("muted")
                    List(preview.shifts.prefix(8).map { "\($0.start.displayString) → \($0.end?.displayString ?? "open"): \($0.person)" })
                    Form(url: "/rotations/\(code)/schedule", method: .post) {
                        CSRFField(token: csrf)
                        Input(type: .hidden, name: "type", value: "pagerduty")
                        Input(type: .hidden, name: "schedule_id", value: preview.id)
                        Button(followed.isEmpty ? "Follow this schedule" : "Follow only this schedule").class("button primary")
                            .attribute(named: "type", value: "submit").id("bind-schedule")
                    }
                    if let combined = external.combined {
                        H4("If also followed, beside \(followed.joined(separator: " + "))")
                        SourcesPreviewView(preview: combined, id: "pd-combined")
                        Form(url: "/rotations/\(code)/schedule", method: .post) {
                            CSRFField(token: csrf)
                            Input(type: .hidden, name: "type", value: "pagerduty")
                            for id in followed + [preview.id] { Input(type: .hidden, name: "schedule_ids[]", value: id) }
                            Button("Also follow this schedule (\(followed.count + 1) in all)").class("button").attribute(named: "type", value: "submit").id("add-schedule")
                        }
                    }
                }
                .class("card").id("pd-preview")
            }
            Element(name: "details") {
                Element(name: "summary") { Text("Or follow an escalation policy: everyone PagerDuty would page at its first levels") }
                Form(url: "/rotations/\(code)", method: .get) {
                    Div {
                        FormField(label: "Escalation policy id", name: "preview_policy", value: external.policy?.id, autocomplete: "off",
                                  hint: "Such as PABC123, from the policy's page in PagerDuty")
                        FormField(label: "Levels 1 to", name: "max_level", type: .number, value: "\(external.policy?.maxLevel ?? 1)",
                                  hint: "Schedules and users those levels target are on duty")
                    }
                    .class("form-grid")
                    Button("Preview").class("button").attribute(named: "type", value: "submit").id("preview-policy")
                }
                if let policy = external.policy {
                    Article {
                        H3("Preview: \(policy.preview.title)")
                        SourcesPreviewView(preview: policy.preview, id: "pd-policy-sources")
                        Form(url: "/rotations/\(code)/schedule", method: .post) {
                            CSRFField(token: csrf)
                            Input(type: .hidden, name: "type", value: "pagerduty_escalation_policy")
                            Input(type: .hidden, name: "escalation_policy_id", value: policy.id)
                            Input(type: .hidden, name: "max_level", value: "\(policy.maxLevel)")
                            Button("Follow this escalation policy").class("button primary").attribute(named: "type", value: "submit").id("bind-policy")
                        }
                    }
                    .class("card").id("pd-policy-preview")
                }
            }
            .class("advanced")
            .attribute(named: "open", value: external.policy == nil ? nil : "")
        }
        .class("card")
    }
}
