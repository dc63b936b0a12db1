import Foundation
import ShiftbridgeCore
import Testing

@Suite struct HandoffTests {
    func t(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    let newYork = TimeZone(identifier: "America/New_York")!
    let nine = TimeOfDay(hour: 9, minute: 0)!

    @Test func dailyHandsOverAtTheLocalTime() {
        // 09:00 in Berlin in winter is 08:00Z.
        #expect(Handoffs.next(after: t("2026-01-05T07:00:00Z"), cadence: .daily(at: nine), timeZone: berlin) == t("2026-01-05T08:00:00Z"))
        #expect(Handoffs.next(after: t("2026-01-05T08:00:00Z"), cadence: .daily(at: nine), timeZone: berlin) == t("2026-01-06T08:00:00Z"))
    }

    @Test func dailyKeepsLocalTimeAcrossBothDSTChanges() {
        // Berlin: summer time from 2026-03-29, winter time from 2026-10-25.
        let spring = Handoffs.between(t("2026-03-27T12:00:00Z"), t("2026-03-31T12:00:00Z"), cadence: .daily(at: nine), timeZone: berlin)
        #expect(spring == [t("2026-03-28T08:00:00Z"), t("2026-03-29T07:00:00Z"), t("2026-03-30T07:00:00Z"), t("2026-03-31T07:00:00Z")])
        let autumn = Handoffs.between(t("2026-10-24T00:00:00Z"), t("2026-10-26T12:00:00Z"), cadence: .daily(at: nine), timeZone: berlin)
        #expect(autumn == [t("2026-10-24T07:00:00Z"), t("2026-10-25T08:00:00Z"), t("2026-10-26T08:00:00Z")])
    }

    @Test func aHandoffInsideTheSpringGapStillHappensOnce() {
        // 02:30 does not exist in New York on 2026-03-08; the handoff still happens that night, once.
        let half = TimeOfDay(hour: 2, minute: 30)!
        let handoffs = Handoffs.between(t("2026-03-07T12:00:00Z"), t("2026-03-09T12:00:00Z"), cadence: .daily(at: half), timeZone: newYork)
        #expect(handoffs.count == 2)
        #expect(handoffs[0] == t("2026-03-08T07:30:00Z"))  // after the jump: 03:30 EDT
        #expect(handoffs[1] == t("2026-03-09T06:30:00Z"))  // 02:30 EDT
    }

    @Test func aRepeatedAutumnHourHandsOverOnce() {
        // 01:30 happens twice in New York on 2026-11-01.
        let early = TimeOfDay(hour: 1, minute: 30)!
        let handoffs = Handoffs.between(t("2026-10-31T12:00:00Z"), t("2026-11-01T12:00:00Z"), cadence: .daily(at: early), timeZone: newYork)
        #expect(handoffs == [t("2026-11-01T05:30:00Z")])
    }

    @Test func weeklyAndCustomWeekdays() {
        // 2026-01-05 is a Monday.
        let monday = Handoffs.next(after: t("2026-01-06T00:00:00Z"), cadence: .weekly(weekday: 1, at: nine), timeZone: .gmt)
        #expect(monday == t("2026-01-12T09:00:00Z"))
        let workdays = Handoffs.between(t("2026-01-09T10:00:00Z"), t("2026-01-13T10:00:00Z"), cadence: .weekdays([1, 2, 3, 4, 5], at: nine), timeZone: .gmt)
        #expect(workdays == [t("2026-01-12T09:00:00Z"), t("2026-01-13T09:00:00Z")])
        #expect(Handoffs.next(after: t("2026-01-06T00:00:00Z"), cadence: .manual, timeZone: .gmt) == nil)
        #expect(Cadence.weekdays([], at: nine).problem != nil)
        #expect(Cadence.weekly(weekday: 8, at: nine).problem != nil)
        #expect(TimeOfDay("24:00") == nil && TimeOfDay("09:30") == TimeOfDay(hour: 9, minute: 30))
    }
}

@Suite struct RotationStateTests {
    @Test func dutySizeTakesSeveralAndWraps() {
        let state = RotationState(members: ["a", "b", "c", "d", "e"], dutySize: 2)
        #expect(state.onDuty == ["a", "b"])
        #expect(state.rotated().onDuty == ["c", "d"])
        #expect(state.rotated(times: 2).onDuty == ["e", "a"])
        #expect(RotationState(members: ["a", "b"], dutySize: 5).onDuty == ["a", "b"])
        #expect(RotationState(members: [], dutySize: 1).onDuty == [])
        #expect(RotationState(members: ["a", "a", "b"]).members == ["a", "b"])
    }

    @Test func setOnDutyNeedsAMember() {
        let state = RotationState(members: ["a", "b", "c"])
        #expect(state.settingOnDuty("c")?.onDuty == ["c"])
        #expect(state.settingOnDuty("z") == nil)
    }

    @Test func replacingMembersKeepsWhoeverIsOnDuty() {
        let state = RotationState(members: ["a", "b", "c"], position: 1)
        #expect(state.replacingMembers(["c", "b", "x"]).onDuty == ["b"])
        #expect(state.replacingMembers(["x", "y"]).onDuty == ["y"])
    }

    @Test func projectionFollowsHandoffs() {
        let start = ISO8601DateFormatter().date(from: "2026-01-05T12:00:00Z")!
        let shifts = ShiftProjection.upcoming(RotationState(members: ["a", "b", "c"]), cadence: .daily(at: TimeOfDay(hour: 9, minute: 0)!),
                                              timeZone: .gmt, from: start, until: start.addingTimeInterval(2 * 86_400))
        #expect(shifts.map(\.people) == [["a"], ["b"], ["c"]])
        #expect(shifts[0].end == ISO8601DateFormatter().date(from: "2026-01-06T09:00:00Z"))
        #expect(shifts.last?.end == start.addingTimeInterval(2 * 86_400))
    }
}

@Suite struct PagerDutySyncPlannerTests {
    typealias P = PagerDutySyncPlanner
    func t(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
    let ann = P.ScheduleUser(id: "PA", email: "Ann@Example.com", name: "Ann")
    let ben = P.ScheduleUser(id: "PB", email: "ben@example.com", name: "Ben")
    let cat = P.ScheduleUser(id: "PC", email: "cat@elsewhere.com", name: "Cat")
    let ghost = P.ScheduleUser(id: "PD", email: nil, name: "Deleted User")

    @Test func membersAreLayerUsersPlusOverridesMatchedByEmail() {
        let snapshot = P.Snapshot(layerUsers: [ann, ben, ann], entries: [
            P.Entry(start: t("2026-01-05T09:00:00Z"), end: t("2026-01-06T09:00:00Z"), user: ann),
            P.Entry(start: t("2026-01-06T09:00:00Z"), end: t("2026-01-06T12:00:00Z"), user: cat),  // an override
        ])
        let plan = P.plan(snapshot, people: [P.Person(id: "1", email: "ann@example.com"), P.Person(id: "2", email: "BEN@example.com ")], now: t("2026-01-05T10:00:00Z"))
        #expect(plan.members.map(\.pagerDutyUserID) == ["PA", "PB", "PC"])
        #expect(plan.members.map(\.personID) == ["1", "2", nil])
        #expect(plan.linkedCount == 2)
        #expect(plan.onDuty.map(\.pagerDutyUserID) == ["PA"])
        #expect(plan.until == t("2026-01-06T09:00:00Z"))
    }

    @Test func severalPeopleOnCallAtOnceAndUnlinkedStillOnDuty() {
        let snapshot = P.Snapshot(layerUsers: [ann], entries: [
            P.Entry(start: t("2026-01-05T09:00:00Z"), end: t("2026-01-05T18:00:00Z"), user: ann),
            P.Entry(start: t("2026-01-05T10:00:00Z"), end: t("2026-01-05T14:00:00Z"), user: cat),
            P.Entry(start: t("2026-01-05T08:00:00Z"), end: nil, user: ghost),
        ])
        let plan = P.plan(snapshot, people: [P.Person(id: "1", email: "ann@example.com")], now: t("2026-01-05T11:00:00Z"))
        #expect(Set(plan.onDuty.map(\.pagerDutyUserID)) == ["PA", "PC", "PD"])
        #expect(plan.onDuty.first { $0.pagerDutyUserID == "PC" }?.linked == false)
        #expect(plan.until == t("2026-01-05T14:00:00Z"))
    }

    @Test func nobodyOnCallIsAnEmptyDutyNotAnError() {
        let snapshot = P.Snapshot(layerUsers: [ann], entries: [P.Entry(start: t("2026-01-05T18:00:00Z"), end: t("2026-01-05T20:00:00Z"), user: ann)])
        let plan = P.plan(snapshot, people: [], now: t("2026-01-05T11:00:00Z"))
        #expect(plan.onDuty.isEmpty)
        #expect(plan.until == t("2026-01-05T18:00:00Z"))
        #expect(plan.members.count == 1)
    }
}

@Suite struct OnCallCoverageTests {
    typealias S = OnCallCoverage.Span
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    func at(_ hours: Double) -> Date { t0.addingTimeInterval(hours * 3600) }

    @Test func sameCoverageSplitDifferentlyAgrees() {
        let held = [S(start: at(-2), end: at(10), userID: "A"), S(start: at(10), end: at(30), userID: "B")]
        // /oncalls lists the same shifts once per escalation level, and splits B's at midnight.
        let observed = [S(start: at(-2), end: at(10), userID: "A"), S(start: at(-2), end: at(10), userID: "A"),
                        S(start: at(10), end: at(20), userID: "B"), S(start: at(20), end: at(30), userID: "B")]
        #expect(!OnCallCoverage.differ(held, observed, from: t0, until: at(24)))
    }

    @Test func anOverrideInsideTheWindowDiffers() {
        let held = [S(start: at(-2), end: at(10), userID: "A")]
        let observed = [S(start: at(-2), end: at(3), userID: "A"), S(start: at(3), end: at(4), userID: "C"), S(start: at(4), end: at(10), userID: "A")]
        #expect(OnCallCoverage.differ(held, observed, from: t0, until: at(9)))
        // A change after the window is not this comparison's business.
        #expect(!OnCallCoverage.differ(held, observed, from: t0, until: at(3)))
    }

    @Test func extraPeopleAndNobodyDiffer() {
        let held = [S(start: at(-1), end: at(5), userID: "A")]
        #expect(OnCallCoverage.differ(held, held + [S(start: at(1), end: at(2), userID: "B")], from: t0, until: at(4)))
        #expect(OnCallCoverage.differ(held, [], from: t0, until: at(4)))
        #expect(!OnCallCoverage.differ([], [], from: t0, until: at(4)))
        // Permanent on-call (no start or end) covers the whole window.
        #expect(!OnCallCoverage.differ([S(start: nil, end: nil, userID: "P")], [S(start: at(-5), end: at(50), userID: "P")], from: t0, until: at(4)))
    }
}
