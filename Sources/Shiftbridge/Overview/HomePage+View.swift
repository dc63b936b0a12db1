import Foundation
import Plot

/// The overview: who is on duty and is anything wrong, at a glance.
extension HomePage {
    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("Overview")
            if !model.attention.isEmpty {
                Element(name: "section") {
                    H2("Needs attention")
                    List {
                        for item in model.attention {
                            ListItem {
                                Text(item.message + " ")
                                Link(item.action, url: item.link)
                            }
                        }
                    }
                    .class("attention-list")
                }
                .class("card attention").id("needs-attention")
            }
            H2("On duty now")
            if model.rotations.isEmpty {
                Paragraph {
                    Text("No rotations yet. ")
                    Link("Create one", url: Section.rotations.path)
                }
                .class("muted")
            } else {
                Div {
                    for card in model.rotations { RotationDutyCard(card: card) }
                }
                .class("duty-cards").id("on-duty-now")
            }
            H2("Handoffs in the next 24 hours")
            if model.handoffs.isEmpty {
                Paragraph("None.").class("muted")
            } else {
                List {
                    for handoff in model.handoffs {
                        ListItem {
                            When(date: handoff.at)
                            Text(" · ")
                            Link(handoff.code, url: "/rotations/\(handoff.code)")
                            Text(": \(names(handoff.from)) → \(names(handoff.to))")
                        }
                    }
                }
                .class("handoffs").id("handoffs")
            }
            if !model.week.isEmpty {
                H2("The next 7 days")
                for week in model.week {
                    H3 { Link("\(week.name) · \(week.code)", url: "/rotations/\(week.code)") }
                    ShiftTimeline(shifts: week.shifts, names: week.names, from: model.now, until: model.now.addingTimeInterval(7 * 86_400), now: model.now,
                                  title: "\(week.name), next 7 days")
                }
                if model.rotations.count > OverviewReader.weekLimit {
                    Paragraph {
                        Text("The first \(OverviewReader.weekLimit) of \(model.rotations.count) rotations; each rotation's page draws its own. ")
                        Link("All rotations", url: Section.rotations.path)
                    }
                    .class("muted")
                }
            }
            H2("Recent activity")
            if model.recentActivity.isEmpty {
                Paragraph("Nothing recorded yet.").class("muted")
            } else {
                List {
                    for entry in model.recentActivity {
                        ListItem {
                            When(date: entry.at)
                            Text(" — \(entry.text)")
                        }
                    }
                }
                .class("activity").id("recent-activity")
            }
            Link("Full audit log →", url: Section.audit.path)
        }
    }

    static func names(_ names: [String]) -> String { names.isEmpty ? "nobody" : names.joined(separator: ", ") }
}
