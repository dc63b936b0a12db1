import Foundation
import Plot
import ShiftbridgeCore

/// The coming days as a picture, drawn on the server as SVG so it works without JavaScript:
/// a row per person, a bar per shift, day lines, now marked, overrides hatched. The shifts
/// table beside it says the same in words.
struct ShiftTimeline: Component {
    let shifts: [Shift]
    /// Email (or PagerDuty label) → name.
    let names: [String: String]
    let from: Date
    let until: Date
    let now: Date
    var title = "Shifts"

    static let width = 1000.0
    static let labelWidth = 170.0
    static let rowHeight = 26.0
    static let header = 24.0

    var body: Component {
        let people = orderedPeople
        let height = Self.header + Double(max(people.count, 1)) * Self.rowHeight + 6
        return Element(name: "svg") {
            Element(name: "title") { Text(summary(people)) }
            for (index, day) in days.enumerated() {
                let x = position(day)
                line(x: x, height: height)
                if index < days.count - 1 || x < Self.width - 40 {
                    text(dayLabel(day), x: x + 4, y: 15, cssClass: "day")
                }
            }
            for (row, person) in people.enumerated() {
                let y = Self.header + Double(row) * Self.rowHeight
                text(names[person] ?? person, x: 4, y: y + 17, cssClass: "who")
                for shift in shifts where shift.people.contains(person) {
                    bar(shift, y: y)
                }
            }
            if now >= from && now <= until {
                let x = position(now)
                Element(name: "line") {}.attribute(named: "x1", value: fmt(x)).attribute(named: "x2", value: fmt(x))
                    .attribute(named: "y1", value: "0").attribute(named: "y2", value: fmt(height)).class("now")
                text("now", x: x + 3, y: height - 4, cssClass: "now-label")
            }
        }
        .attribute(named: "viewBox", value: "0 0 \(Int(Self.width)) \(Int(height))")
        .attribute(named: "role", value: "img")
        .attribute(named: "aria-label", value: summary(people))
        .attribute(named: "preserveAspectRatio", value: "xMinYMin meet")
        .class("timeline")
    }

    private var orderedPeople: [String] {
        var seen = Set<String>()
        return shifts.sorted { $0.start < $1.start }.flatMap(\.people).filter { seen.insert($0).inserted }
    }

    private var days: [Date] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = ViewerTime.zone
        var day = calendar.startOfDay(for: from)
        var result: [Date] = []
        while day < until, result.count < 62 {
            if day >= from { result.append(day) }
            day = calendar.date(byAdding: .day, value: 1, to: day) ?? until
        }
        return result
    }

    private func summary(_ people: [String]) -> String {
        "\(title): \(shifts.count) shift(s) for \(people.count) person(s) from \(from.displayString) to \(until.displayString)"
    }

    private func position(_ date: Date) -> Double {
        let span = max(1, until.timeIntervalSince(from))
        let fraction = min(1, max(0, date.timeIntervalSince(from) / span))
        return Self.labelWidth + fraction * (Self.width - Self.labelWidth)
    }

    private func dayLabel(_ day: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = ViewerTime.zone
        formatter.dateFormat = "EEE d"
        return formatter.string(from: day)
    }

    private func bar(_ shift: Shift, y: Double) -> Component {
        let x1 = position(max(shift.start, from)), x2 = position(min(shift.end, until))
        return Element(name: "rect") {
            Element(name: "title") {
                Text("\(shift.people.map { names[$0] ?? $0 }.joined(separator: ", ")): \(shift.start.displayString) – \(shift.end.displayString)"
                     + (shift.isOverride ? " (override)" : ""))
            }
        }
        .attribute(named: "x", value: fmt(x1)).attribute(named: "y", value: fmt(y + 5))
        .attribute(named: "width", value: fmt(max(2, x2 - x1 - 1))).attribute(named: "height", value: fmt(Self.rowHeight - 8))
        .attribute(named: "rx", value: "3")
        .class(shift.isOverride ? "shift override" : "shift")
    }

    private func line(x: Double, height: Double) -> Component {
        Element(name: "line") {}.attribute(named: "x1", value: fmt(x)).attribute(named: "x2", value: fmt(x))
            .attribute(named: "y1", value: "0").attribute(named: "y2", value: fmt(height)).class("grid")
    }

    private func text(_ content: String, x: Double, y: Double, cssClass: String) -> Component {
        Element(name: "text") { Text(content) }
            .attribute(named: "x", value: fmt(x)).attribute(named: "y", value: fmt(y)).class(cssClass)
    }

    private func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}
