import Foundation
import ShiftbridgeCore
import Testing

@Suite struct HeldTimelineTests {
    func t(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    func entry(_ start: String, _ end: String?, _ id: String, email: String? = nil) -> HeldTimeline.Entry {
        .init(start: t(start), end: end.map(t), email: email, name: nil, pagerDutyUserID: id)
    }

    var timeline: HeldTimeline {
        HeldTimeline(entries: [
            entry("2026-03-02T09:00:00Z", "2026-03-03T09:00:00Z", "PANN", email: "ann@example.com"),
            entry("2026-03-03T09:00:00Z", "2026-03-04T09:00:00Z", "PBEN", email: "ben@example.com"),
            // An override inside Ben's shift, and Ben twice on overlapping layers.
            entry("2026-03-03T12:00:00Z", "2026-03-03T13:00:00Z", "PCAT"),
            entry("2026-03-03T09:00:00Z", "2026-03-03T18:00:00Z", "PBEN", email: "ben@example.com"),
        ])
    }

    @Test func whoIsOnDutyAtAnInstantAndUntilWhen() {
        let morning = timeline.duty(at: t("2026-03-02T10:00:00Z"))
        #expect(morning.onDuty.map(\.pagerDutyUserID) == ["PANN"])
        #expect(morning.until == t("2026-03-03T09:00:00Z"))
        // At the boundary the next shift has started: ends are exclusive.
        #expect(timeline.duty(at: t("2026-03-03T09:00:00Z")).onDuty.map(\.pagerDutyUserID) == ["PBEN"])
        // Several at once, each person once; the next change is the override's start.
        let noon = timeline.duty(at: t("2026-03-03T12:30:00Z"))
        #expect(noon.onDuty.map(\.pagerDutyUserID) == ["PBEN", "PCAT"])
        #expect(timeline.duty(at: t("2026-03-03T11:00:00Z")).until == t("2026-03-03T12:00:00Z"))
        // Past the end of what was read: nobody, and no next change.
        let after = timeline.duty(at: t("2026-03-05T00:00:00Z"))
        #expect(after.onDuty.isEmpty && after.until == nil)
    }

    @Test func segmentsAreSpansOfOneUnchangingOnDutySet() {
        let spans = timeline.segments(from: t("2026-03-02T10:00:00Z"), until: t("2026-03-04T12:00:00Z"))
        #expect(spans.map { [$0.start, $0.end].compactMap { $0 }.map { ISO8601DateFormatter().string(from: $0) } } == [
            ["2026-03-02T10:00:00Z", "2026-03-03T09:00:00Z"],
            ["2026-03-03T09:00:00Z", "2026-03-03T12:00:00Z"],
            ["2026-03-03T12:00:00Z", "2026-03-03T13:00:00Z"],
            // Ben's two overlapping entries end at different times: one span until his last ends.
            ["2026-03-03T13:00:00Z", "2026-03-04T09:00:00Z"],
            ["2026-03-04T09:00:00Z"],
        ])
        #expect(spans.map { $0.onDuty.map(\.pagerDutyUserID) } == [["PANN"], ["PBEN"], ["PBEN", "PCAT"], ["PBEN"], []])
        #expect(timeline.segments(from: t("2026-03-02T10:00:00Z"), until: t("2026-03-04T12:00:00Z"), limit: 2).count == 2)
    }

    @Test func theStoredKeyNamesPeopleByEmailElseTheirPagerDutyID() {
        let noon = timeline.duty(at: t("2026-03-03T12:30:00Z")).onDuty
        #expect(HeldTimeline.members(noon) == [.person(email: "ben@example.com"), .pagerDutyUser(id: "PCAT")])
    }

    @Test func shiftsAreClippedToTheWindow() {
        let shifts = timeline.shifts(from: t("2026-03-03T10:00:00Z"), until: t("2026-03-03T12:30:00Z"))
        #expect(shifts.map(\.people) == [["ben@example.com"], ["PCAT"], ["ben@example.com"]])
        let open = HeldTimeline(entries: [entry("2026-03-02T09:00:00Z", nil, "PANN")]).shifts(from: t("2026-03-02T10:00:00Z"), until: t("2026-03-02T20:00:00Z"))
        #expect(open.first?.end == t("2026-03-02T20:00:00Z"))
    }
}
