import Fluent
import Foundation
import Vapor

/// RFC 5545, as much as calendar apps need for a read-only feed.
enum ICalendar {
    static func render(name: String, id: String, events: [(start: Date, end: Date, people: [String])], code: String, now: Date) -> String {
        func stamp(_ date: Date) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
            return formatter.string(from: date)
        }
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
                .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
        }
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Shiftbridge//Rotations//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:\(escape(name))"]
        for event in events where !event.people.isEmpty {
            lines += ["BEGIN:VEVENT", "UID:\(id)-\(Int(event.start.timeIntervalSince1970))@shiftbridge", "DTSTAMP:\(stamp(now))",
                      "DTSTART:\(stamp(event.start))", "DTEND:\(stamp(event.end))",
                      "SUMMARY:\(escape("\(code): \(event.people.joined(separator: ", "))"))", "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
