import Fluent
import Foundation
import ShiftbridgeCore

/// Reads everything the overview shows for one viewer, in a bounded number of queries for
/// the rotation cards (the week's pictures read each rotation's shifts, at most `weekLimit`).
struct OverviewReader {
    let db: any Database
    let clock: any AppClock
    let directory: RotationDirectory
    let duty: RotationDuty
    let attention: AttentionList
    let audit: AuditLog
    static let weekLimit = 12

    func model(for user: User) async throws -> HomePage.Model {
        let now = clock.now()
        let rotations = try await directory.visible(to: user).sorted { $0.code < $1.code }
        let models = try await duty.models(rotations)
        let readers = RotationDuty.readers(for: rotations, models)
        var cards: [HomePage.RotationCard] = []
        var handoffs: [HomePage.Handoff] = []
        for rotation in rotations {
            guard let id = rotation.id, let reader = readers[id] else { continue }
            let current = reader(now)
            let next = current.until.map { reader($0) }
            cards.append(.init(code: rotation.code, name: rotation.name, onDuty: current.people.map { .init(name: $0.name) }, until: current.until,
                               next: next?.people.map(\.name) ?? [], staleSince: current.staleSince, turnedBy: current.turnedBy))
            if let until = current.until, until.timeIntervalSince(now) <= 86_400, let next {
                handoffs.append(.init(at: until, code: rotation.code, name: rotation.name, from: current.people.map(\.name), to: next.people.map(\.name)))
            }
        }
        var week: [HomePage.Week] = []
        for rotation in rotations.prefix(Self.weekLimit) {
            guard let id = rotation.id, let model = models.byID[id] else { continue }
            let shifts = model.shifts(from: now, until: now.addingTimeInterval(7 * 86_400))
            guard !shifts.isEmpty else { continue }
            let emails = Array(Set(shifts.flatMap(\.people)))
            let people = try await Person.query(on: db).filter(\.$email ~~ emails).all()
            week.append(.init(code: rotation.code, name: rotation.name, shifts: shifts,
                              names: Dictionary(people.map { ($0.email, $0.name) }, uniquingKeysWith: { a, _ in a })))
        }
        let recent = try await audit.events(visibleTo: user, limit: 10).events.map(AuditLogPage.Row.init)
        return HomePage.Model(rotations: cards, handoffs: handoffs.sorted { $0.at < $1.at },
                              attention: try await attention.items(for: user, rotations: rotations, unreadable: models.unreadable), week: week, now: now,
                              recentActivity: recent.map { ($0.time, AuditSentence.describe($0)) })
    }
}
