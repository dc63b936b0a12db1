import Foundation
import NIOConcurrencyHelpers

extension Date {
    /// How the dashboard shows a time: in the viewer's zone, to the minute, the zone named
    /// (`Mon 5 Jan 2026, 09:00 CET`).
    var displayString: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = ViewerTime.zone
        formatter.dateFormat = "EEE d MMM yyyy, HH:mm"
        return formatter.string(from: self) + " " + Self.zoneName(ViewerTime.zone, at: self)
    }

    /// The zone's usual abbreviation (EST, CET, JST…); each locale knows only some, so ask
    /// a few before falling back to `GMT+1`-style offsets.
    static func zoneName(_ zone: TimeZone, at date: Date) -> String {
        // A page shows many times in one zone: each zone and offset is looked up once.
        let key = "\(zone.identifier)|\(zone.secondsFromGMT(for: date))"
        if let known = zoneNames.withLockedValue({ $0[key] }) { return known }
        let name = lookUpZoneName(zone, at: date)
        zoneNames.withLockedValue { $0[key] = name }
        return name
    }

    private static let zoneNames = NIOLockedValueBox<[String: String]>([:])

    private static func lookUpZoneName(_ zone: TimeZone, at date: Date) -> String {
        guard zone.secondsFromGMT(for: date) != 0 || zone.identifier != "GMT" else { return "UTC" }
        var fallback = ""
        for locale in ["en_US", "en_GB", "en_IN", "ja_JP", "en_AU"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: locale)
            formatter.timeZone = zone
            formatter.dateFormat = "zzz"
            let name = formatter.string(from: date)
            if !name.hasPrefix("GMT") && !name.hasPrefix("UTC") && name.allSatisfy({ $0.isASCII }) { return name }
            if fallback.isEmpty { fallback = name }
        }
        return fallback == "GMT" ? "UTC" : fallback
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
