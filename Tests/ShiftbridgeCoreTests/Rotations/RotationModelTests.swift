import Foundation
import ShiftbridgeCore
import Testing

/// The one rotation model: who turns each kind, who is on duty and why, the next handoff.
@Suite struct RotationModelTests {
    let monday = ISO8601DateFormatter().date(from: "2026-01-05T08:00:00Z")!
    let members = ["ann@example.com", "ben@example.com", "cat@example.com"]

    func model(_ schedule: RotationSchedule, enabled: Bool = true, timeline: HeldTimeline = HeldTimeline(entries: [])) -> RotationModel {
        RotationModel(schedule: schedule, enabled: enabled, members: members, dutySize: 1, position: 0, savedAt: monday, timeline: timeline)
    }

    @Test func eachKindSaysWhoTurnsItAndWhereItsMembersComeFrom() {
        let daily = RotationSchedule.daily(at: TimeOfDay("09:00")!, timeZone: "Europe/London")
        for (schedule, turner, canRotate) in [(RotationSchedule.manual, RotationTurner.people, true), (daily, .schedule, true),
                                              (.weekly(weekday: 1, at: TimeOfDay("09:00")!, timeZone: "Etc/UTC"), .schedule, true),
                                              (.pagerDuty(scheduleIDs: ["P1", "P2"]), .pagerDuty, false),
                                              (.pagerDutyEscalationPolicy(id: "PEP", maxLevel: 2), .pagerDuty, false)] {
            let rotation = model(schedule)
            #expect(rotation.turnedBy == turner && rotation.canRotate == canRotate && rotation.membersFromPagerDuty == !canRotate, "\(schedule)")
        }
    }

    @Test func aScheduleTurnsItAtItsHandoffsAndNotWhileDisabled() {
        let daily = model(.daily(at: TimeOfDay("09:00")!, timeZone: "Europe/London"))
        #expect(daily.duty(at: monday) == .init(onDuty: [.init(member: .person(email: "ann@example.com"), reason: .schedule)],
                                                until: monday.addingTimeInterval(3600)))
        let twoDaysOn = monday.addingTimeInterval(2 * 86_400)
        #expect(daily.duty(at: twoDaysOn).members == [.person(email: "cat@example.com")])
        #expect(daily.state(at: twoDaysOn).position == 2)
        #expect(daily.shifts(from: monday, until: monday.addingTimeInterval(26 * 3600)).map(\.people) == [["ann@example.com"], ["ben@example.com"], ["cat@example.com"]])
        let paused = model(.daily(at: TimeOfDay("09:00")!, timeZone: "Europe/London"), enabled: false)
        #expect(paused.duty(at: twoDaysOn).members == [.person(email: "ann@example.com")] && paused.nextHandoff(after: monday) == nil)
        let manual = model(.manual)
        #expect(manual.duty(at: twoDaysOn) == .init(onDuty: [.init(member: .person(email: "ann@example.com"), reason: .turn)], until: nil))
    }

    @Test func pagerDutySaysWhoAndWhyIncludingOverridesAndPeopleWithoutEmail() {
        let timeline = HeldTimeline(entries: [
            .init(start: monday, end: monday.addingTimeInterval(3600), email: "ben@example.com", name: "Ben", pagerDutyUserID: "PBEN"),
            .init(start: monday, end: monday.addingTimeInterval(7200), email: "ann@example.com", name: "Ann", pagerDutyUserID: "PANN", isOverride: true),
            .init(start: monday, end: nil, email: nil, name: "Dana", pagerDutyUserID: "PDANA"),
        ])
        let rotation = model(.pagerDuty(scheduleIDs: ["P1"]), timeline: timeline)
        let duty = rotation.duty(at: monday)
        #expect(duty.onDuty == [.init(member: .person(email: "ben@example.com"), reason: .pagerDuty, name: "Ben"),
                                .init(member: .person(email: "ann@example.com"), reason: .override, name: "Ann"),
                                .init(member: .pagerDutyUser(id: "PDANA"), reason: .pagerDuty, name: "Dana")])
        #expect(duty.until == monday.addingTimeInterval(3600) && rotation.nextHandoff(after: monday) == monday.addingTimeInterval(3600))
        #expect(duty.members.map(\.label) == ["ben@example.com", "ann@example.com", "pagerduty:PDANA"])
        // Its own member list and saved position mean nothing: PagerDuty decides.
        #expect(!duty.members.contains(.person(email: "cat@example.com")))
    }

    @Test func dutyMembersRoundTripAsTypedJSON() throws {
        let members: [DutyMember] = [.person(email: "ann@example.com"), .pagerDutyUser(id: "PDANA")]
        let data = try JSONEncoder().encode(members)
        #expect(String(decoding: data, as: UTF8.self) == #"[{"email":"ann@example.com"},{"pagerduty_user_id":"PDANA"}]"#)
        #expect(try JSONDecoder().decode([DutyMember].self, from: data) == members)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([DutyMember].self, from: Data(#"["ann@example.com"]"#.utf8)) }
    }
}
