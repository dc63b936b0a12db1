import Foundation
@testable import Shiftbridge
import ShiftbridgeCore

/// Rotation pages as four kinds of rotation render them, from models built here (no
/// database): what the golden HTML tests compare.
enum RotationPageFixtures {
    static let now = ISO8601DateFormatter().date(from: "2026-01-05T08:00:00Z")!
    static let people = [("Ann Lee", "ann@example.com"), ("Ben Wu", "ben@example.com"), ("Cat Ng", "cat@example.com")]

    static func model(_ schedule: RotationSchedule, timeline: HeldTimeline = HeldTimeline(entries: [])) -> RotationPage.Model {
        let rotation = RotationModel(schedule: schedule, enabled: true, members: people.map(\.1), dutySize: 1, position: 0, savedAt: now, timeline: timeline)
        let duty = rotation.duty(at: now)
        let names = Dictionary(uniqueKeysWithValues: people.map { ($0.1, $0.0) })
        let onDuty = duty.onDuty.map { assignment in (names[assignment.member.email ?? ""] ?? assignment.name ?? assignment.member.label, assignment.member.email ?? "no email in PagerDuty") }
        let onDutyEmails = Set(duty.members.compactMap(\.email))
        return RotationPage.Model(
            code: "PLATFORM", name: "Platform", description: "Primary on-call for the platform team", schedule: schedule,
            canRotate: rotation.canRotate, membersFromPagerDuty: rotation.membersFromPagerDuty, nextHandoff: duty.until, onDuty: onDuty,
            roster: people.map { ($0.0, $0.1, $0.1 != "cat@example.com", onDutyEmails.contains($0.1)) },
            shifts: rotation.shifts(from: now, until: now.addingTimeInterval(3 * 86_400)), names: names, now: now,
            owners: ["ops@example.com"], canEdit: true, error: nil, problem: nil,
            syncedAt: rotation.membersFromPagerDuty ? now.addingTimeInterval(-60) : nil, external: nil,
            history: [(now.addingTimeInterval(-3600), "ops@example.com", .rotationCreated, nil, "Platform; 3 member(s); duty size 1")],
            slack: nil, slackConnected: false, sources: rotation.membersFromPagerDuty ? RotationsController.sources(rotation, now: now) : [])
    }

    /// PagerDuty's view: Ben until 09:00, then Cat, with an override for Ann in the afternoon.
    static let timeline = HeldTimeline(entries: [
        .init(start: now.addingTimeInterval(-3600), end: now.addingTimeInterval(3600), email: "ben@example.com", name: "Ben Wu", pagerDutyUserID: "PBEN",
              source: "PPRIMARY"),
        .init(start: now.addingTimeInterval(3600), end: now.addingTimeInterval(86_400), email: "cat@example.com", name: "Cat Ng", pagerDutyUserID: "PCAT",
              source: "PPRIMARY"),
        .init(start: now.addingTimeInterval(6 * 3600), end: now.addingTimeInterval(8 * 3600), email: "ann@example.com", name: "Ann Lee",
              pagerDutyUserID: "PANN", isOverride: true, source: "PPRIMARY"),
        .init(start: now, end: nil, email: nil, name: "Dana (no email)", pagerDutyUserID: "PDANA", source: "level 2"),
    ])

    static let kinds: [(name: String, model: RotationPage.Model)] = [
        ("manual", model(.manual)),
        ("scheduled", model(.daily(at: TimeOfDay("09:00")!, timeZone: "Europe/London"))),
        ("pagerduty-schedule", model(.pagerDuty(scheduleID: "PPRIMARY"), timeline: HeldTimeline(entries: Array(timeline.entries.prefix(3))))),
        ("escalation-policy", model(.pagerDutyEscalationPolicy(id: "PPOLICY", maxLevel: 2), timeline: timeline)),
    ]
}
