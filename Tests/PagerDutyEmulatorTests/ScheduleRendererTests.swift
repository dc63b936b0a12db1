import Foundation
@testable import PagerDutyEmulator
import Testing

/// Hand-checked renderings. Times are written out in full so each case can be checked by eye.
@Suite struct ScheduleRendererTests {
    func t(_ text: String) -> Date { PDTime.parse(text)! }
    let utc = TimeZone(identifier: "Etc/UTC")!
    let london = TimeZone(identifier: "Europe/London")!
    let newYork = TimeZone(identifier: "America/New_York")!

    func entries(_ list: [ScheduleRenderer.Entry]) -> [String] {
        list.map { "\($0.userID) \(PDTime.format($0.start)) \(PDTime.format($0.end))" }
    }

    @Test func dailyRotationCyclesThroughUsers() {
        let layer = ScheduleRenderer.Layer(start: t("2026-01-01T00:00:00Z"), rotationVirtualStart: t("2026-01-05T09:00:00Z"),
                                           turnLengthSeconds: 86_400, userIDs: ["A", "B", "C"], renderingIndex: 1)
        let result = ScheduleRenderer.layerEntries(layer, timeZone: utc, since: t("2026-01-05T00:00:00Z"), until: t("2026-01-08T12:00:00Z"))
        // Before the virtual start the rotation runs backwards: C had 01-04 09:00 → 01-05 09:00.
        #expect(entries(result) == [
            "C 2026-01-05T00:00:00Z 2026-01-05T09:00:00Z",
            "A 2026-01-05T09:00:00Z 2026-01-06T09:00:00Z",
            "B 2026-01-06T09:00:00Z 2026-01-07T09:00:00Z",
            "C 2026-01-07T09:00:00Z 2026-01-08T09:00:00Z",
            "A 2026-01-08T09:00:00Z 2026-01-08T12:00:00Z",
        ])
    }

    @Test func layerStartAndEndBoundIt() {
        let layer = ScheduleRenderer.Layer(start: t("2026-01-06T12:00:00Z"), end: t("2026-01-07T12:00:00Z"), rotationVirtualStart: t("2026-01-05T09:00:00Z"),
                                           turnLengthSeconds: 86_400, userIDs: ["A", "B"], renderingIndex: 1)
        let result = ScheduleRenderer.layerEntries(layer, timeZone: utc, since: t("2026-01-01T00:00:00Z"), until: t("2026-01-10T00:00:00Z"))
        #expect(entries(result) == ["B 2026-01-06T12:00:00Z 2026-01-07T09:00:00Z", "A 2026-01-07T09:00:00Z 2026-01-07T12:00:00Z"])
    }

    @Test func dailyRestrictionMasksTheLayerButTheRotationKeepsTurning() {
        let layer = ScheduleRenderer.Layer(start: t("2026-01-01T00:00:00Z"), rotationVirtualStart: t("2026-01-05T00:00:00Z"),
                                           turnLengthSeconds: 86_400, userIDs: ["A", "B"],
                                           restrictions: [.init(kind: .daily, startTimeOfDay: 9 * 3600, durationSeconds: 8 * 3600)], renderingIndex: 1)
        let result = ScheduleRenderer.layerEntries(layer, timeZone: utc, since: t("2026-01-05T00:00:00Z"), until: t("2026-01-07T00:00:00Z"))
        #expect(entries(result) == ["A 2026-01-05T09:00:00Z 2026-01-05T17:00:00Z", "B 2026-01-06T09:00:00Z 2026-01-06T17:00:00Z"])
    }

    @Test func weeklyRestrictionCoversTheWeekend() {
        // Friday 18:00 for 63 hours: to Monday 09:00. 2026-01-09 is a Friday.
        let layer = ScheduleRenderer.Layer(start: t("2026-01-01T00:00:00Z"), rotationVirtualStart: t("2026-01-05T09:00:00Z"),
                                           turnLengthSeconds: 7 * 86_400, userIDs: ["W"],
                                           restrictions: [.init(kind: .weekly, startTimeOfDay: 18 * 3600, durationSeconds: 63 * 3600, startDayOfWeek: 5)],
                                           renderingIndex: 1)
        let result = ScheduleRenderer.layerEntries(layer, timeZone: utc, since: t("2026-01-05T00:00:00Z"), until: t("2026-01-19T00:00:00Z"))
        // The window opened on Friday 2 January still runs until Monday 5 January 09:00.
        #expect(entries(result) == [
            "W 2026-01-05T00:00:00Z 2026-01-05T09:00:00Z",
            "W 2026-01-09T18:00:00Z 2026-01-12T09:00:00Z",
            "W 2026-01-16T18:00:00Z 2026-01-19T00:00:00Z",
        ])
    }

    @Test func higherLayerWinsWhereItHasSomeoneAndOverridesSitOnTop() {
        let base = ScheduleRenderer.Layer(start: t("2026-01-01T00:00:00Z"), rotationVirtualStart: t("2026-01-05T00:00:00Z"),
                                          turnLengthSeconds: 7 * 86_400, userIDs: ["A"], renderingIndex: 1)
        let evenings = ScheduleRenderer.Layer(start: t("2026-01-01T00:00:00Z"), rotationVirtualStart: t("2026-01-05T00:00:00Z"),
                                              turnLengthSeconds: 7 * 86_400, userIDs: ["E"],
                                              restrictions: [.init(kind: .daily, startTimeOfDay: 18 * 3600, durationSeconds: 4 * 3600)], renderingIndex: 2)
        let override = ScheduleRenderer.Override(start: t("2026-01-05T12:00:00Z"), end: t("2026-01-05T19:00:00Z"), userID: "O")
        let result = ScheduleRenderer.finalEntries(layers: [evenings, base], overrides: [override], timeZone: utc,
                                                   since: t("2026-01-05T00:00:00Z"), until: t("2026-01-06T00:00:00Z"))
        #expect(entries(result) == [
            "A 2026-01-05T00:00:00Z 2026-01-05T12:00:00Z",
            "O 2026-01-05T12:00:00Z 2026-01-05T19:00:00Z",
            "E 2026-01-05T19:00:00Z 2026-01-05T22:00:00Z",
            "A 2026-01-05T22:00:00Z 2026-01-06T00:00:00Z",
        ])
    }

    @Test func overlappingOverridesPutSeveralPeopleOnCall() {
        let base = ScheduleRenderer.Layer(start: t("2026-01-01T00:00:00Z"), rotationVirtualStart: t("2026-01-05T00:00:00Z"),
                                          turnLengthSeconds: 86_400, userIDs: ["A"], renderingIndex: 1)
        let overrides = [
            ScheduleRenderer.Override(start: t("2026-01-05T10:00:00Z"), end: t("2026-01-05T14:00:00Z"), userID: "X"),
            ScheduleRenderer.Override(start: t("2026-01-05T12:00:00Z"), end: t("2026-01-05T16:00:00Z"), userID: "Y"),
        ]
        let now = ScheduleRenderer.onCall(layers: [base], overrides: overrides, timeZone: utc, at: t("2026-01-05T13:00:00Z"))
        #expect(Set(now.map(\.userID)) == ["X", "Y"])
        // The whole shifts, not the instant: X from 10:00 to 14:00, Y from 12:00 to 16:00.
        #expect(entries(now.sorted { $0.userID < $1.userID }) == ["X 2026-01-05T10:00:00Z 2026-01-05T14:00:00Z", "Y 2026-01-05T12:00:00Z 2026-01-05T16:00:00Z"])
    }

    @Test func overflowKeepsWholeEntriesOtherwiseClipped() {
        let layer = ScheduleRenderer.Layer(start: t("2026-01-01T00:00:00Z"), rotationVirtualStart: t("2026-01-05T00:00:00Z"),
                                           turnLengthSeconds: 86_400, userIDs: ["A", "B"], renderingIndex: 1)
        let clipped = ScheduleRenderer.finalEntries(layers: [layer], overrides: [], timeZone: utc, since: t("2026-01-05T10:00:00Z"), until: t("2026-01-05T14:00:00Z"))
        #expect(entries(clipped) == ["A 2026-01-05T10:00:00Z 2026-01-05T14:00:00Z"])
        let whole = ScheduleRenderer.finalEntries(layers: [layer], overrides: [], timeZone: utc, since: t("2026-01-05T10:00:00Z"), until: t("2026-01-05T14:00:00Z"), overflow: true)
        #expect(entries(whole) == ["A 2026-01-05T00:00:00Z 2026-01-06T00:00:00Z"])
    }

    @Test func overflowReachesAsFarAsALongShiftGoes() {
        // Renders start a day beyond the window and reach further only while a shift is still cut.
        let layer = ScheduleRenderer.Layer(start: t("2026-01-01T00:00:00Z"), rotationVirtualStart: t("2026-01-05T00:00:00Z"),
                                           turnLengthSeconds: 14 * 86_400, userIDs: ["A", "B"], renderingIndex: 1)
        let override = ScheduleRenderer.Override(start: t("2026-01-10T00:00:00Z"), end: t("2026-01-11T00:00:00Z"), userID: "C")
        let whole = ScheduleRenderer.finalEntries(layers: [layer], overrides: [override], timeZone: utc,
                                                  since: t("2026-01-12T10:00:00Z"), until: t("2026-01-12T11:00:00Z"), overflow: true)
        // A's turn is split by the override; the part holding the window runs to the turn's end.
        #expect(entries(whole) == ["A 2026-01-11T00:00:00Z 2026-01-19T00:00:00Z"])
        let single = ScheduleRenderer.Layer(start: t("2025-06-01T00:00:00Z"), rotationVirtualStart: t("2025-06-01T00:00:00Z"),
                                            turnLengthSeconds: 86_400, userIDs: ["Solo"], renderingIndex: 1)
        let capped = ScheduleRenderer.finalEntries(layers: [single], overrides: [], timeZone: utc,
                                                   since: t("2026-01-12T10:00:00Z"), until: t("2026-01-12T11:00:00Z"), overflow: true)
        // One person always on call: the entry stops at the 35-day reach, as it always has.
        #expect(entries(capped) == ["Solo 2025-12-08T10:00:00Z 2026-02-16T11:00:00Z"])
    }

    @Test func dailyHandoffStaysAtLocalNineAcrossSpringForward() {
        // New York springs forward on 2026-03-08: 09:00 local is 14:00Z before, 13:00Z after.
        let layer = ScheduleRenderer.Layer(start: t("2026-03-01T00:00:00Z"), rotationVirtualStart: t("2026-03-06T14:00:00Z"),
                                           turnLengthSeconds: 86_400, userIDs: ["A", "B"], renderingIndex: 1)
        let result = ScheduleRenderer.layerEntries(layer, timeZone: newYork, since: t("2026-03-06T14:00:00Z"), until: t("2026-03-10T13:00:00Z"))
        #expect(entries(result) == [
            "A 2026-03-06T14:00:00Z 2026-03-07T14:00:00Z",
            "B 2026-03-07T14:00:00Z 2026-03-08T13:00:00Z",  // a 23-hour turn
            "A 2026-03-08T13:00:00Z 2026-03-09T13:00:00Z",
            "B 2026-03-09T13:00:00Z 2026-03-10T13:00:00Z",
        ])
    }

    @Test func restrictionFollowsLocalTimeAcrossFallBack() {
        // London falls back on 2026-10-25: 09:00 local is 08:00Z before, 09:00Z after.
        let layer = ScheduleRenderer.Layer(start: t("2026-10-01T00:00:00Z"), rotationVirtualStart: t("2026-10-19T00:00:00Z"),
                                           turnLengthSeconds: 7 * 86_400, userIDs: ["A"],
                                           restrictions: [.init(kind: .daily, startTimeOfDay: 9 * 3600, durationSeconds: 3600)], renderingIndex: 1)
        let result = ScheduleRenderer.layerEntries(layer, timeZone: london, since: t("2026-10-24T00:00:00Z"), until: t("2026-10-26T23:00:00Z"))
        #expect(entries(result) == [
            "A 2026-10-24T08:00:00Z 2026-10-24T09:00:00Z",
            "A 2026-10-25T09:00:00Z 2026-10-25T10:00:00Z",
            "A 2026-10-26T09:00:00Z 2026-10-26T10:00:00Z",
        ])
    }

    @Test func subDayTurnsAreExactSecondsEvenOverDST() {
        // 12-hour turns are not calendar days: they stay 12 real hours apart across the change.
        let layer = ScheduleRenderer.Layer(start: t("2026-03-01T00:00:00Z"), rotationVirtualStart: t("2026-03-08T00:00:00Z"),
                                           turnLengthSeconds: 43_200, userIDs: ["A", "B"], renderingIndex: 1)
        let result = ScheduleRenderer.layerEntries(layer, timeZone: newYork, since: t("2026-03-08T00:00:00Z"), until: t("2026-03-09T00:00:00Z"))
        #expect(entries(result) == ["A 2026-03-08T00:00:00Z 2026-03-08T12:00:00Z", "B 2026-03-08T12:00:00Z 2026-03-09T00:00:00Z"])
    }

    @Test func emptyLayersAndGapsRenderNothing() {
        let empty = ScheduleRenderer.Layer(start: t("2026-01-01T00:00:00Z"), rotationVirtualStart: t("2026-01-01T00:00:00Z"),
                                           turnLengthSeconds: 3600, userIDs: [], renderingIndex: 1)
        #expect(ScheduleRenderer.finalEntries(layers: [empty], overrides: [], timeZone: utc, since: t("2026-01-01T00:00:00Z"), until: t("2026-01-02T00:00:00Z")).isEmpty)
    }
}

@Suite struct JSONSerialisationTests {
    @Test func roundTripsThroughFoundationsParser() throws {
        let value: JSON = ["text": "quote \" backslash \\ newline \n tab \t bell \u{07} ünïcödé", "n": 42, "neg": -7, "pi": .double(3.25), "whole": .double(2),
                           "yes": true, "no": false, "nothing": nil, "list": [1, "two", [3]], "nested": ["a": ["b": "c"]]]
        let data = value.encoded()
        let parsed = try #require(JSON.parse(data))
        #expect(parsed == (["text": "quote \" backslash \\ newline \n tab \t bell \u{07} ünïcödé", "n": 42, "neg": -7, "pi": .double(3.25), "whole": 2,
                            "yes": true, "no": false, "nothing": nil, "list": [1, "two", [3]], "nested": ["a": ["b": "c"]]] as JSON))
        #expect(try JSONSerialization.jsonObject(with: data) is [String: Any])
    }
}
