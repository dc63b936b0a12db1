import Foundation

/// A local time of day, as people set rotations: "09:00 in Europe/Berlin".
public struct TimeOfDay: Equatable, Hashable, Codable, Sendable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    public init?(hour: Int, minute: Int) {
        guard (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// Parses "HH:mm".
    public init?(_ text: String) {
        let parts = text.split(separator: ":").map { Int($0) }
        guard parts.count == 2, let hour = parts[0], let minute = parts[1] else { return nil }
        self.init(hour: hour, minute: minute)
    }

    public var description: String { String(format: "%02d:%02d", hour, minute) }
}

/// When a rotation that is not bound to PagerDuty hands over.
public enum Cadence: Equatable, Hashable, Sendable {
    /// Only when someone presses Rotate (or calls the API).
    case manual
    /// Every day at a local time.
    case daily(at: TimeOfDay)
    /// Once a week; `weekday` is ISO (1 = Monday … 7 = Sunday).
    case weekly(weekday: Int, at: TimeOfDay)
    /// On the listed ISO weekdays, at a local time.
    case weekdays(Set<Int>, at: TimeOfDay)

    /// Nil when valid, else what to fix.
    public var problem: String? {
        switch self {
        case .manual, .daily: nil
        case .weekly(let weekday, _): (1...7).contains(weekday) ? nil : "weekday must be 1 (Monday) to 7 (Sunday)"
        case .weekdays(let days, _):
            days.isEmpty ? "choose at least one weekday" : (days.allSatisfy { (1...7).contains($0) } ? nil : "weekdays must be 1 (Monday) to 7 (Sunday)")
        }
    }
}

/// Handoff times: pure calendar maths in the rotation's time zone.
public enum Handoffs {
    /// The first handoff strictly after `instant`, or nil for manual rotations. Across DST,
    /// handoffs keep their local time; a local time skipped by a spring-forward moves forward by
    /// the gap (02:30 becomes 03:30), and a repeated one happens once (the first time).
    public static func next(after instant: Date, cadence: Cadence, timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let time: TimeOfDay
        let days: Set<Int>?
        switch cadence {
        case .manual: return nil
        case .daily(let at): time = at; days = nil
        case .weekly(let weekday, let at): time = at; days = [weekday]
        case .weekdays(let set, let at): time = at; days = set
        }
        guard cadence.problem == nil else { return nil }
        var day = calendar.startOfDay(for: instant)
        // Eight days always reach the next matching weekday.
        for _ in 0..<9 {
            let isoWeekday = (calendar.component(.weekday, from: day) + 5) % 7 + 1
            if days?.contains(isoWeekday) ?? true {
                let candidate = localTime(time, on: day, calendar: calendar)
                if candidate > instant { return candidate }
            }
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return nil
    }

    /// Every handoff in `(from, to]`, in order.
    public static func between(_ from: Date, _ to: Date, cadence: Cadence, timeZone: TimeZone) -> [Date] {
        var result: [Date] = []
        var cursor = from
        while let next = next(after: cursor, cadence: cadence, timeZone: timeZone), next <= to {
            result.append(next)
            cursor = next
        }
        return result
    }

    static func localTime(_ time: TimeOfDay, on day: Date, calendar: Calendar) -> Date {
        var components = calendar.dateComponents([.year, .month, .day], from: day)
        components.hour = time.hour
        components.minute = time.minute
        components.second = 0
        // Foundation moves a skipped local time forward by the gap; a repeated one is its first occurrence.
        if let date = calendar.date(from: components) { return date }
        return day.addingTimeInterval(TimeInterval(time.hour * 3600 + time.minute * 60))
    }
}
