import EmulatorSupport
import Foundation

/// PagerDuty's schedule rendering, as a pure function of a schedule and a time window.
///
/// - A layer hands over every `turnLengthSeconds` from `rotationVirtualStart`, cycling through
///   its users. Turns that are whole days follow the wall clock of the schedule's time zone
///   (a daily 09:00 handoff stays at 09:00 across DST); other turns are exact seconds.
/// - Restrictions mask a layer to daily or weekly windows in the schedule's time zone; the
///   rotation keeps turning underneath them.
/// - Where layers overlap, the one with the highest `renderingIndex` wins (the bottom layer in
///   PagerDuty's UI). Overrides sit on top of every layer; overlapping overrides put several
///   people on call at once.
public enum ScheduleRenderer {
    public struct Restriction: Sendable, Equatable {
        public enum Kind: String, Sendable { case daily = "daily_restriction", weekly = "weekly_restriction" }
        public var kind: Kind
        /// Seconds after local midnight.
        public var startTimeOfDay: Int
        public var durationSeconds: Int
        /// ISO weekday, 1 = Monday; weekly restrictions only.
        public var startDayOfWeek: Int?

        public init(kind: Kind, startTimeOfDay: Int, durationSeconds: Int, startDayOfWeek: Int? = nil) {
            self.kind = kind
            self.startTimeOfDay = startTimeOfDay
            self.durationSeconds = durationSeconds
            self.startDayOfWeek = startDayOfWeek
        }
    }

    public struct Layer: Sendable, Equatable {
        public var start: Date
        public var end: Date?
        public var rotationVirtualStart: Date
        public var turnLengthSeconds: Int
        public var userIDs: [String]
        public var restrictions: [Restriction]
        public var renderingIndex: Int

        public init(start: Date, end: Date? = nil, rotationVirtualStart: Date, turnLengthSeconds: Int,
                    userIDs: [String], restrictions: [Restriction] = [], renderingIndex: Int) {
            self.start = start
            self.end = end
            self.rotationVirtualStart = rotationVirtualStart
            self.turnLengthSeconds = turnLengthSeconds
            self.userIDs = userIDs
            self.restrictions = restrictions
            self.renderingIndex = renderingIndex
        }
    }

    public struct Override: Sendable, Equatable {
        public var start: Date
        public var end: Date
        public var userID: String
        public init(start: Date, end: Date, userID: String) {
            self.start = start
            self.end = end
            self.userID = userID
        }
    }

    public struct Entry: Sendable, Equatable, CustomStringConvertible {
        public var start: Date
        public var end: Date
        public var userID: String
        public init(start: Date, end: Date, userID: String) {
            self.start = start
            self.end = end
            self.userID = userID
        }
        public var description: String { "\(userID) \(PDTime.format(start))–\(PDTime.format(end))" }
    }

    /// How far beyond the window entries are followed when `overflow` keeps them whole.
    static let overflowReach: TimeInterval = 35 * 86_400

    // MARK: Layers

    /// One layer's entries within `[since, until)`: one per turn, masked by restrictions.
    public static func layerEntries(_ layer: Layer, timeZone: TimeZone, since: Date, until: Date) -> [Entry] {
        guard !layer.userIDs.isEmpty, layer.turnLengthSeconds > 0 else { return [] }
        let from = max(since, layer.start)
        let to = min(until, layer.end ?? until)
        guard from < to else { return [] }
        let calendar = Self.calendar(timeZone)
        let allowed = allowedIntervals(layer.restrictions, calendar: calendar, from: from, to: to)

        var entries: [Entry] = []
        var turn = turnIndex(containing: from, layer: layer, calendar: calendar)
        var turnStart = turnBoundary(turn, layer: layer, calendar: calendar)
        while turnStart < to {
            let turnEnd = turnBoundary(turn + 1, layer: layer, calendar: calendar)
            let user = layer.userIDs[((turn % layer.userIDs.count) + layer.userIDs.count) % layer.userIDs.count]
            let clippedStart = max(turnStart, from)
            let clippedEnd = min(turnEnd, to)
            for window in allowed where window.start < clippedEnd && window.end > clippedStart {
                entries.append(Entry(start: max(window.start, clippedStart), end: min(window.end, clippedEnd), userID: user))
            }
            turn += 1
            turnStart = turnEnd
        }
        return entries
    }

    static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    private static func wholeDays(_ layer: Layer) -> Int? {
        layer.turnLengthSeconds % 86_400 == 0 ? layer.turnLengthSeconds / 86_400 : nil
    }

    static func turnBoundary(_ turn: Int, layer: Layer, calendar: Calendar) -> Date {
        if let days = wholeDays(layer) {
            return calendar.date(byAdding: .day, value: turn * days, to: layer.rotationVirtualStart)!
        }
        return layer.rotationVirtualStart.addingTimeInterval(TimeInterval(turn * layer.turnLengthSeconds))
    }

    static func turnIndex(containing date: Date, layer: Layer, calendar: Calendar) -> Int {
        let elapsed = date.timeIntervalSince(layer.rotationVirtualStart)
        var turn = Int((elapsed / TimeInterval(layer.turnLengthSeconds)).rounded(.down))
        // Wall-clock turns differ from the estimate by at most a DST shift; settle it.
        while turnBoundary(turn, layer: layer, calendar: calendar) > date { turn -= 1 }
        while turnBoundary(turn + 1, layer: layer, calendar: calendar) <= date { turn += 1 }
        return turn
    }

    /// The windows a layer may be on call in, merged and sorted; the whole range without restrictions.
    static func allowedIntervals(_ restrictions: [Restriction], calendar: Calendar, from: Date, to: Date) -> [DateInterval] {
        guard !restrictions.isEmpty else { return [DateInterval(start: from, end: to)] }
        var windows: [DateInterval] = []
        // Start a week early so a window that began before `from` is still seen.
        var day = calendar.startOfDay(for: from.addingTimeInterval(-8 * 86_400))
        while day < to {
            let weekday = (calendar.component(.weekday, from: day) + 5) % 7 + 1  // ISO: Monday = 1
            for restriction in restrictions {
                if restriction.kind == .weekly, restriction.startDayOfWeek != weekday { continue }
                let start = localTime(day, secondsAfterMidnight: restriction.startTimeOfDay, calendar: calendar)
                let end = start.addingTimeInterval(TimeInterval(restriction.durationSeconds))
                if end > from && start < to {
                    windows.append(DateInterval(start: max(start, from), end: min(end, to)))
                }
            }
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return merge(windows)
    }

    /// `day` at a local time of day; a time skipped by a DST jump moves forward, as clocks do.
    static func localTime(_ day: Date, secondsAfterMidnight: Int, calendar: Calendar) -> Date {
        var components = calendar.dateComponents([.year, .month, .day], from: day)
        components.hour = secondsAfterMidnight / 3600
        components.minute = (secondsAfterMidnight % 3600) / 60
        components.second = secondsAfterMidnight % 60
        return calendar.date(from: components) ?? day.addingTimeInterval(TimeInterval(secondsAfterMidnight))
    }

    static func merge(_ intervals: [DateInterval]) -> [DateInterval] {
        var merged: [DateInterval] = []
        for interval in intervals.sorted(by: { $0.start < $1.start }) {
            if let last = merged.last, interval.start <= last.end {
                merged[merged.count - 1] = DateInterval(start: last.start, end: max(last.end, interval.end))
            } else {
                merged.append(interval)
            }
        }
        return merged
    }

    // MARK: Final schedule

    /// The final schedule in `[since, until)`: layers by precedence, overrides on top. Runs of
    /// one person are merged. With `overflow`, entries crossing the window's edges are kept whole.
    public static func finalEntries(layers: [Layer], overrides: [Override], timeZone: TimeZone,
                                    since: Date, until: Date, overflow: Bool = false) -> [Entry] {
        guard since < until else { return [] }
        guard overflow else {
            return entries(runs(layers: layers, overrides: overrides, timeZone: timeZone, from: since, to: until),
                           since: since, until: until, whole: false)
        }
        // Render only a little beyond the window, and reach further only while a shift that
        // overlaps the window is still cut by the rendered range (up to `overflowReach`).
        var reach: TimeInterval = 86_400
        while true {
            let from = since.addingTimeInterval(-reach)
            let to = until.addingTimeInterval(reach)
            let rendered = runs(layers: layers, overrides: overrides, timeZone: timeZone, from: from, to: to)
            let cut = rendered.values.contains { intervals in
                intervals.contains { ($0.start <= from && $0.end > since) || ($0.end >= to && $0.start < until) }
            }
            if !cut || reach >= overflowReach {
                return entries(rendered, since: since, until: until, whole: true)
            }
            reach = min(reach * 2, overflowReach)
        }
    }

    private static func entries(_ runs: [String: [DateInterval]], since: Date, until: Date, whole: Bool) -> [Entry] {
        var entries: [Entry] = []
        for (user, intervals) in runs {
            for interval in intervals where interval.end > since && interval.start < until {
                entries.append(whole
                    ? Entry(start: interval.start, end: interval.end, userID: user)
                    : Entry(start: max(interval.start, since), end: min(interval.end, until), userID: user))
            }
        }
        return entries.sorted { ($0.start, $0.userID) < ($1.start, $1.userID) }
    }

    /// Each person's merged on-call runs within `[from, to)`.
    private static func runs(layers: [Layer], overrides: [Override], timeZone: TimeZone,
                             from: Date, to: Date) -> [String: [DateInterval]] {
        let perLayer = layers.sorted { $0.renderingIndex > $1.renderingIndex }
            .map { layerEntries($0, timeZone: timeZone, since: from, until: to) }
        let activeOverrides = overrides.filter { $0.start < to && $0.end > from && $0.start < $0.end }

        var boundaries = Set([from, to])
        for entries in perLayer { for entry in entries { boundaries.insert(entry.start); boundaries.insert(entry.end) } }
        for override in activeOverrides {
            boundaries.insert(max(override.start, from))
            boundaries.insert(min(override.end, to))
        }
        let points = boundaries.sorted()

        // Cursor per layer: entries are sorted and non-overlapping within a layer.
        var cursors = Array(repeating: 0, count: perLayer.count)
        var runs: [String: [DateInterval]] = [:]
        for (index, start) in points.dropLast().enumerated() {
            let end = points[index + 1]
            let onCall = activeOverrides.filter { $0.start <= start && $0.end >= end }.map(\.userID)
            var users: [String] = onCall
            if users.isEmpty {
                for (layerIndex, entries) in perLayer.enumerated() {
                    while cursors[layerIndex] < entries.count, entries[cursors[layerIndex]].end <= start { cursors[layerIndex] += 1 }
                    if cursors[layerIndex] < entries.count, entries[cursors[layerIndex]].start <= start {
                        users = [entries[cursors[layerIndex]].userID]
                        break
                    }
                }
            }
            for user in Set(users) {
                if let last = runs[user]?.last, last.end == start {
                    runs[user]![runs[user]!.count - 1] = DateInterval(start: last.start, end: end)
                } else {
                    runs[user, default: []].append(DateInterval(start: start, end: end))
                }
            }
        }
        return runs
    }

    /// Who the final schedule has on call at `instant` (several where overrides overlap).
    public static func onCall(layers: [Layer], overrides: [Override], timeZone: TimeZone, at instant: Date) -> [Entry] {
        finalEntries(layers: layers, overrides: overrides, timeZone: timeZone,
                     since: instant, until: instant.addingTimeInterval(1), overflow: true)
            .filter { $0.start <= instant && $0.end > instant }
    }
}
