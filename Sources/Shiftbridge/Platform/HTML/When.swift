import Foundation
import Plot

/// A time as people read it: `<time>` in the viewer's zone with the zone named, and how
/// long from now (`in 3 h`, `2 min ago`).
struct When: Component {
    let date: Date
    var relative = true

    var body: Component {
        Span {
            Time(datetime: date.isoString) { Text(date.displayString) }
            if relative { Span(" (\(date.relativeString))").class("relative") }
        }
        .class("when")
    }
}
