import Foundation
import Plot
import ShiftbridgeCore

/// Each source's next shifts side by side, then who the rotation would have on duty from them
/// together, change by change.
struct SourcesPreviewView: Component {
    let preview: SourcesPreview
    let id: String

    var body: Component {
        Div {
            H4("Each source").class("muted")
            Element(name: "dl") {
                for source in preview.sources {
                    Element(name: "dt") { Text(source.label) }
                    Element(name: "dd") {
                        Text(source.shifts.prefix(4).map { "\($0.start.displayString) → \($0.end?.displayString ?? "always"): \($0.person)" }
                            .joined(separator: "; ").nonEmpty ?? "nobody on call this week")
                    }
                }
            }
            .class("sources")
            H4("Together: who would be on duty").class("muted")
            List(preview.merged.map { segment in
                let people = segment.onDuty.map { $0.name ?? $0.pagerDutyUserID }
                return "\(segment.start.displayString) → \(segment.end?.displayString ?? "onwards"): \(people.isEmpty ? "nobody" : people.joined(separator: ", "))"
            })
            .class("merged")
        }
        .id(id)
    }
}

private extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
