import Foundation
import Plot

/// One rotation on the overview: who is on duty (initials and name), until when, who is next.
struct RotationDutyCard: Component {
    let card: HomePage.RotationCard

    var body: Component {
        Article {
            H3 { Link("\(card.name) · \(card.code)", url: "/rotations/\(card.code)") }
            if card.onDuty.isEmpty {
                Paragraph("Nobody on duty").class("muted")
            } else {
                List {
                    for person in card.onDuty {
                        ListItem {
                            Span(person.initials).class("avatar").attribute(named: "aria-hidden", value: "true")
                            Span(person.name).class("person")
                        }
                    }
                }
                .class("people")
            }
            if let until = card.until {
                Paragraph { Text("Until "); When(date: until) }.class("muted")
                Paragraph("Next: \(HomePage.names(card.next))").class("muted")
            } else {
                Paragraph(card.turnedBy == .pagerDuty ? "No handoff in what PagerDuty shared" : "Hands over when someone rotates it").class("muted")
            }
            if let stale = card.staleSince {
                Paragraph { Text("Stale since "); When(date: stale) }.class("badge badge-warn")
            }
        }
        .class("card duty-card")
    }
}
