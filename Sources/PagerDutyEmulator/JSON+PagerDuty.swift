import EmulatorSupport
import Foundation

extension JSON {
    static func optional(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }
    static func date(_ value: Date?, in timeZone: TimeZone = .gmt) -> JSON { value.map { .string(PDTime.format($0, in: timeZone)) } ?? .null }
}

/// PagerDuty's timestamps: ISO 8601 with offset, seconds precision.
public enum PDTime {
    public static func format(_ date: Date, in timeZone: TimeZone = .gmt) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = timeZone.secondsFromGMT(for: date)
        let zone: String
        if offset == 0 {
            zone = "Z"
        } else {
            let sign = offset < 0 ? "-" : "+"
            zone = String(format: "%@%02d:%02d", sign, abs(offset) / 3600, (abs(offset) % 3600) / 60)
        }
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!) + zone
    }

    /// Accepts ISO 8601 with or without fractional seconds, and plain dates (midnight UTC).
    public static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text)
    }
}
