import Foundation

extension Date {
    /// How the dashboard shows times: ISO-like, UTC, to the minute.
    var displayString: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: self)
    }
}
