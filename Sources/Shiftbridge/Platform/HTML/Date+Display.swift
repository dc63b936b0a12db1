import Foundation

extension Date {
    /// How the dashboard shows a time: in the viewer's zone, to the minute, the zone named
    /// (`Mon 5 Jan 2026, 09:00 GMT`).
    var displayString: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = ViewerTime.zone
        formatter.dateFormat = "EEE d MMM yyyy, HH:mm zzz"
        return formatter.string(from: self)
    }

    /// `in 3 h`, `2 min ago`, `now`: relative to the app's clock while a page renders.
    var relativeString: String {
        let seconds = timeIntervalSince(ViewerTime.now ?? self)
        let magnitude = abs(seconds)
        let amount: String
        switch magnitude {
        case ..<45: return "now"
        case ..<3_600: amount = "\(Int((magnitude / 60).rounded())) min"
        case ..<86_400: amount = "\(Int((magnitude / 3_600).rounded())) h"
        default: amount = "\(Int((magnitude / 86_400).rounded())) d"
        }
        return seconds > 0 ? "in \(amount)" : "\(amount) ago"
    }

    /// Machine-readable, for `<time datetime>`.
    var isoString: String { ISO8601DateFormatter().string(from: self) }
}
