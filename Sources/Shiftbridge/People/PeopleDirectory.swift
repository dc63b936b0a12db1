import Fluent
import Foundation
import ShiftbridgeCore
import Vapor

/// The People directory: everyone who can be on duty, by email. Shared by the page, the API,
/// HR imports and PagerDuty syncs.
struct PeopleDirectory {
    let db: any Database
    let clock: any AppClock

    struct Input: Content {
        var email: String?
        var name: String?
        var chat_handle: String?
        var time_zone: String?
    }

    static let maxNameLength = 200
    static let maxHandleLength = 100

    /// Validates and adds a person; the error names the field to fix.
    func add(_ input: Input, actor: String) async throws -> Person {
        let email = try UserAccounts.email(input.email ?? "")
        let name = (input.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.unicodeScalars.count <= Self.maxNameLength else {
            throw AppError.invalidField("name", "enter the person's name (at most \(Self.maxNameLength) characters)")
        }
        let zone = input.time_zone?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if let zone, zone.unicodeScalars.count > 64 || TimeZone(identifier: zone) == nil {
            throw AppError.invalidField("time_zone", "'\(zone.prefix(64))' is not an IANA time zone, such as Europe/Berlin")
        }
        let handle = input.chat_handle?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if let handle, handle.unicodeScalars.count > Self.maxHandleLength { throw AppError.invalidField("chat_handle", "at most \(Self.maxHandleLength) characters") }
        let now = clock.now()
        return try await db.transaction { db in
            guard try await Person.query(on: db).filter(\.$email == email).first() == nil else {
                throw AppError(.conflict, code: "duplicate_email", "email: \(email) is already in the directory")
            }
            let person = Person(email: email, name: name, chatHandle: handle, timeZone: zone, createdAt: now)
            try await person.create(on: db)
            try await AuditEvent.record(on: db, at: now, actor: actor, .personCreated, .person(email: email), after: name)
            return person
        }
    }

    /// Everyone, by name; with a query, those whose name or email contains it, ignoring case
    /// (matched here, so SQLite and PostgreSQL agree).
    func list(query: String?) async throws -> [Person] {
        let people = try await Person.query(on: db).sort(\.$name).all()
        guard let query = query?.trimmingCharacters(in: .whitespaces).lowercased(), !query.isEmpty else { return people }
        return people.filter { $0.email.contains(query) || $0.name.lowercased().contains(query) }
    }

    /// The directory follows the HR import: each current employee is a person (name and time
    /// zone from HR); an unlinked person PagerDuty named becomes linked when HR names them.
    func syncFromHR(_ employees: [Employee]) async throws {
        // A few (a SCIM push): read just them; a whole file: read everyone once.
        let query = employees.count <= 500 ? Person.query(on: db).filter(\.$email ~~ employees.map { User.normalize(email: $0.email) }) : Person.query(on: db)
        let people = Dictionary(try await query.all().map { ($0.email, $0) }, uniquingKeysWith: { first, _ in first })
        var fresh: [[any Encodable & Sendable]] = []
        let now = clock.now()
        for employee in employees {
            let email = User.normalize(email: employee.email)
            if let person = people[email] {
                let zone = employee.timeZone ?? person.timeZone
                guard person.name != employee.name || person.timeZone != zone || person.source == .pagerDuty else { continue }
                person.name = employee.name.isEmpty ? person.name : employee.name
                person.timeZone = zone
                if person.source == .pagerDuty { person.source = .hr }
                try await person.save(on: db)
            } else {
                fresh.append([UUID(), email, employee.name.isEmpty ? email : employee.name, String?.none, employee.timeZone, Person.Source.hr.rawValue, now])
            }
        }
        try await BulkInsert.rows(into: Person.schema, columns: ["id", "email", "name", "chat_handle", "time_zone", "source", "created_at"], fresh, on: db)
    }
}
