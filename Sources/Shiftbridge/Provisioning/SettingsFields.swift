import Foundation
import Plot
import ShiftbridgeCore

/// Provisioning settings as fields, each with what it does; the Advanced JSON shows the same.
struct SettingsFields: Component {
    let settings: ProvisioningSettings
    let csrf: String

    var body: Component {
        Form(url: "/provisioning/settings/fields", method: .post) {
            CSRFField(token: csrf)
            Div {
                Label("Mode") {
                    Select(name: "mode", options: [("supervised", "Supervised: an admin approves each plan"), ("autopilot", "Autopilot: plans apply at once")],
                           selected: settings.mode.rawValue)
                }
                .class("field")
                FormField(label: "Run on its own every (minutes)", name: "run_every_minutes", type: .number, value: settings.runEveryMinutes.map(String.init),
                          required: false, hint: "So future-dated hires and leavers happen on their day; empty: only when asked")
                FormField(label: "Remind administrators every (hours)", name: "reminder_hours", type: .number, value: String(settings.reminderHours),
                          hint: "While items wait for approval, a guard holds a run or an HR source fails: a webhook event and a Slack message")
                ZoneField(label: "HR dates take effect in", name: "time_zone", value: settings.timeZone, zones: ZoneField.allZones, hint: "The zone of start and termination dates")
                FormField(label: "Create users on behalf of", name: "from_email", value: settings.fromEmail, required: false, autocomplete: "off",
                          hint: "A PagerDuty user's email; empty: the account owner", inputMode: "email")
            }
            .class("form-grid")
            Element(name: "fieldset") {
                Element(name: "legend") { Text("Stages that run") }
                for stage in ProvisioningSettings.Stage.allCases {
                    checkbox("stages[]", value: stage.rawValue, label: stage.rawValue.capitalized, checked: settings.stages.contains(stage))
                }
            }
            .class("weekday-picker")
            Div {
                checkbox("process_all", value: "1", label: "Provision everyone (otherwise only employees a rule matches)", checked: settings.processAll)
                checkbox("do_not_deprovision_on_role_change", value: "1", label: "Keep a PagerDuty user whose employee no longer matches any rule",
                         checked: settings.doNotDeprovisionOnRoleChange)
            }
            Element(name: "fieldset") {
                Element(name: "legend") { Text("Mass-termination guard: hold every termination for approval when a run terminates more than") }
                Div {
                    FormField(label: "Percent of provisioned users", name: "termination_threshold_percent", type: .number,
                              value: String(format: "%g", settings.terminationThresholdPercent))
                    FormField(label: "Or this many users", name: "termination_threshold_count", type: .number, value: String(settings.terminationThresholdCount))
                }
                .class("form-grid")
            }
            .class("weekday-picker")
            Label("Protected users (never deleted)") {
                TextArea(text: settings.protectedUsers.joined(separator: "\n"), name: "protected_users", numberOfRows: 3)
                Span("One email per line: owners and admins who must keep access").class("hint")
            }
            .class("field")
            Element(name: "fieldset") {
                Element(name: "legend") { Text("Never overwrite after creation") }
                for field in ProvisioningSettings.updatableFields {
                    checkbox("exclude_from_update[]", value: field, label: field.replacingOccurrences(of: "_", with: " "),
                             checked: settings.excludeFromUpdate.contains(field))
                }
            }
            .class("weekday-picker")
            Div {
                FormField(label: "CSV delimiter", name: "delimiter", value: settings.delimiter, hint: "One character, such as , or ;")
                Label("CSV encoding") {
                    Select(name: "encoding", options: TextEncoding.allCases.map { ($0.rawValue, $0.rawValue) }, selected: settings.encoding.rawValue)
                }
                .class("field")
            }
            .class("form-grid")
            group("HR export columns: the CSV header that holds each attribute", prefix: "columns", pairs: Self.pairs(settings.columns))
            group("Status words: the values of the status column that mean each status (separated by commas)", prefix: "status_values",
                  pairs: Self.pairs(settings.statusValues))
            group("PagerDuty fields from HR: templates such as {first_name} {last_name}, with |upper, |lower or |trim; empty leaves the field alone",
                  prefix: "attribute_mapping", pairs: Self.pairs(settings.attributeMapping))
            Button("Save settings").class("button primary").attribute(named: "type", value: "submit").id("save-settings-fields")
        }
        .class("card settings-fields").id("settings-fields")
    }

    private func group(_ legend: String, prefix: String, pairs: [(String, String)]) -> Component {
        Element(name: "fieldset") {
            Element(name: "legend") { Text(legend) }
            Div {
                for (key, value) in pairs {
                    FormField(label: key.replacingOccurrences(of: "_", with: " "), name: "\(prefix).\(key)", value: value, required: false, autocomplete: "off")
                }
            }
            .class("form-grid")
        }
        .class("settings-group")
    }

    /// A settings part as its JSON keys and values (lists joined by commas), in key order.
    static func pairs<Part: Encodable>(_ part: Part) -> [(String, String)] {
        guard let data = try? JSONEncoder().encode(part), let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return [] }
        return object.keys.sorted().map { key in
            let value = object[key]
            return (key, (value as? [String])?.joined(separator: ", ") ?? (value as? String) ?? "")
        }
    }

    private func checkbox(_ name: String, value: String, label: String, checked: Bool) -> Component {
        Label(label) {
            Input(type: .checkbox, name: name, value: value).attribute(named: "checked", value: checked ? "checked" : nil)
        }
        .class("check inline")
    }
}
