import Fluent
import Foundation
import ShiftbridgeCore

/// What Slack outputs are worked out from, read once for a set of rotations: who is on
/// duty at any instant, people's names, and who is linked to a Slack member.
struct SlackDutyFacts {
    let rotations: [UUID: Rotation]
    let readers: [UUID: RotationDuty.Reader]
    /// Each rotation's own zone, for the times its messages give.
    let zones: [UUID: TimeZone]
    /// Email → Slack id, eligible members only.
    let links: [String: String]
    /// Email → name, for the people named.
    let names: [String: String]
    /// Rotation → member emails (its roster).
    let rosters: [UUID: [String]]

    static func load(_ rotations: [Rotation], duty: RotationDuty, on db: any Database) async throws -> SlackDutyFacts {
        let ids = rotations.compactMap(\.id)
        let models = try await duty.models(rotations)
        let readers = RotationDuty.readers(for: rotations, models)
        var rosters: [UUID: [String]] = [:]
        var names: [String: String] = [:]
        if !ids.isEmpty {
            for member in try await RotationMember.query(on: db).filter(\.$rotation.$id ~~ ids).sort(\.$position).with(\.$person).all() {
                rosters[member.$rotation.id, default: []].append(member.person.email)
                names[member.person.email] = member.person.name
            }
        }
        return SlackDutyFacts(rotations: Dictionary(rotations.compactMap { r in r.id.map { ($0, r) } }, uniquingKeysWith: { a, _ in a }),
                              readers: readers, zones: models.byID.mapValues(\.schedule.timeZone), links: try await SlackDirectory.links(on: db),
                              names: names, rosters: rosters)
    }

    /// Emails on duty (PagerDuty placeholders without an email are left out).
    func onDuty(_ rotationID: UUID, at: Date) -> (emails: [String], names: [String: String], until: Date?, stale: Date?) {
        guard let duty = readers[rotationID]?(at) else { return ([], [:], nil, nil) }
        var names: [String: String] = [:]
        for person in duty.people { if let email = person.email { names[email] = person.name } }
        return (duty.people.compactMap(\.email), names, duty.until, duty.staleSince)
    }

    func person(_ email: String, name: String? = nil) -> SlackTemplate.Person {
        SlackTemplate.Person(name: name ?? names[email] ?? email, slackID: links[email])
    }

    /// The template fields for `rotationID` at `at`; `previous` as the change recorded it.
    func values(_ rotationID: UUID, at: Date, previous: [DutyMember]? = nil) -> SlackTemplate.Values? {
        guard let rotation = rotations[rotationID], let zone = zones[rotationID] else { return nil }
        let now = onDuty(rotationID, at: at)
        let next = now.until.map { onDuty(rotationID, at: $0) }
        return SlackTemplate.Values(
            onDuty: now.emails.map { person($0, name: now.names[$0]) },
            previous: (previous ?? []).compactMap(\.email).map { person($0) },
            next: next.map { n in n.emails.map { person($0, name: n.names[$0]) } } ?? [],
            until: now.until.map { Self.format($0, zone: zone) },
            rotation: rotation.name, code: rotation.code)
    }

    /// `Mon 7 Dec 09:00 GMT`, in the rotation's own zone.
    static func format(_ date: Date, zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = zone
        formatter.dateFormat = "EEE d MMM HH:mm zzz"
        return formatter.string(from: date)
    }
}
