import Foundation
import Plot
import ShiftbridgeCore

/// The schedule form: the kind, the time, weekday checkboxes and a searchable time zone.
struct ScheduleEditor: Component {
    let code: String
    let schedule: RotationSchedule
    let csrf: String

    static let weekdays = [(1, "Mon"), (2, "Tue"), (3, "Wed"), (4, "Thu"), (5, "Fri"), (6, "Sat"), (7, "Sun")]

    var body: Component {
        Form(url: "/rotations/\(code)/schedule", method: .post) {
            CSRFField(token: csrf)
            Paragraph("Now: \(schedule.description)").class("muted")
            Div {
                Label("Type") {
                    Select(name: "type", options: [("manual", "Manual (Rotate button)"), ("daily", "Daily"), ("weekly", "Weekly"), ("weekdays", "Custom days")],
                           selected: schedule.kind.rawValue)
                }
                .class("field")
                FormField(label: "Time (HH:mm)", name: "time", type: .time, value: schedule.time?.description, required: false)
                ZoneField(label: "Time zone", name: "time_zone", value: schedule.timeZoneIdentifier ?? "Etc/UTC", zones: ZoneField.allZones,
                          hint: "Handoffs happen at this wall-clock time in this zone")
            }
            .class("form-grid")
            Element(name: "fieldset") {
                Element(name: "legend") { Text("Days (weekly: one; custom days: several)") }
                for (number, name) in Self.weekdays {
                    Label(name) {
                        Input(type: .checkbox, name: "weekdays[]", value: String(number))
                            .attribute(named: "checked", value: schedule.weekdays.contains(number) ? "checked" : nil)
                    }
                    .class("check inline")
                }
            }
            .class("weekday-picker")
            Button("Save schedule").class("button").attribute(named: "type", value: "submit").id("save-schedule")
        }
        .class("card")
    }
}
