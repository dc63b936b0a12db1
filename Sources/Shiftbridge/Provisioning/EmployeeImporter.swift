import Fluent
import Foundation
import ShiftbridgeCore
import SQLKit

/// HR exports in: each import is taken whole or not at all, every problem reported by line,
/// each employee's changes kept as their history, and the people directory kept in step.
struct EmployeeImporter {
    let db: any Database
    let clock: any AppClock
    let configuration: ProvisioningConfiguration
    /// New people may be named on duty; bulk inserts bypass the cache's model middleware.
    let dutyCache: ReadCache<RotationDuty.Reader>

    /// The largest HR file taken, uploaded or dropped.
    static let maxFileBytes = 64 << 20

    /// Imports a whole HR export, or nothing. `canonical`: the CSV was made here from a report
    /// (BambooHR, a JSON report), so it has the default headers, commas and status words.
    func importCSV(_ data: Data, origin: ImportOrigin, canonical: Bool = false) async throws -> ProvisioningImport {
        let settings = try await configuration.settings()
        let parsed = EmployeeImport.decode(data, encoding: canonical ? .utf8 : settings.encoding).flatMap {
            canonical ? EmployeeImport.parse($0)
                      : EmployeeImport.parse($0, columns: settings.columns, delimiter: settings.delimiter.first ?? ",", statuses: settings.statusValues)
        }
        let employees: [Employee]
        switch parsed {
        case .success(let parsed): employees = parsed
        case .failure(let rejection):
            let problems = rejection.problems
            throw AppError(.invalid, code: "invalid_csv",
                           "The file was not imported: \(problems.count) problem(s), first on line \(problems[0].line): \(problems[0].message)",
                           problems: problems.map { .init(line: $0.line, message: $0.message) })
        }
        let now = clock.now()
        let clock = clock
        let record = try await db.transaction { db in
            try await Self.store(employees, origin: origin, at: now, on: db, clock: clock)
        }
        dutyCache.removeAll()
        return record
    }

    private static func store(_ employees: [Employee], origin: ImportOrigin, at now: Date, on db: any Database, clock: any AppClock) async throws -> ProvisioningImport {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let record = ProvisioningImport(origin: origin, rows: employees.count, at: now)
        try await record.create(on: db)
        let importID = try record.requireID()
        var existing = Dictionary(try await EmployeeRecord.query(on: db).all().map { ($0.employeeID, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [[any Encodable & Sendable]] = []
        var fresh: [[any Encodable & Sendable]] = []
        for employee in employees {
            let data = String(decoding: try encoder.encode(employee), as: UTF8.self)
            if let stored = existing.removeValue(forKey: employee.employeeID) {
                guard stored.data != data || !stored.inSource else { record.unchanged += 1; continue }
                if stored.status == .terminated && employee.status != .terminated { stored.wasTerminated = true }
                stored.email = employee.email
                stored.name = employee.name
                stored.status = employee.status
                stored.data = data
                stored.inSource = true
                stored.updatedAt = now
                try await stored.save(on: db)
                record.changed += 1
            } else {
                fresh.append([UUID(), employee.employeeID, employee.email, employee.name, employee.status.rawValue, data, String?.none, false, true, now])
                record.added += 1
            }
            changes.append([UUID(), employee.employeeID, importID, employee.status.rawValue, data, now])
        }
        // Employees missing from this file are left alone, never deprovisioned for it; those an
        // identity provider pushes over SCIM are not the file's to drop.
        let pushed = Set(try await SCIMUser.query(on: db).all(\.$employeeID))
        for stored in existing.values where stored.inSource && !pushed.contains(stored.employeeID) {
            stored.inSource = false
            try await stored.save(on: db)
            record.absent += 1
        }
        try await BulkInsert.rows(into: EmployeeRecord.schema, columns: ["id", "employee_id", "email", "name", "status", "data", "pagerduty_user_id",
                                                                          "was_terminated", "in_source", "updated_at"], fresh, on: db)
        try await BulkInsert.rows(into: EmployeeChange.schema, columns: ["id", "employee_id", "import_id", "status", "data", "recorded_at"], changes, on: db)
        try await record.save(on: db)
        try await PeopleDirectory(db: db, clock: clock).syncFromHR(employees.filter { $0.status != .terminated })
        try await AuditEvent.record(on: db, at: now, actor: origin.actor, .provisioningImported, .provisioning("import"), after: record.summary)
        return record
    }

    /// One employee as an identity provider pushed them, recorded as a CSV row would be (the
    /// record, its history, the people directory), in the caller's transaction. Pushes are
    /// gathered into one import per actor and hour, so the import list stays readable.
    static func recordPushed(_ employee: Employee, origin: ImportOrigin, at now: Date, on db: any Database, clock: any AppClock) async throws {
        let record: ProvisioningImport
        if let recent = try await ProvisioningImport.query(on: db).filter(\.$actor == origin.actor).filter(\.$createdAt > now.addingTimeInterval(-3600))
            .sort(\.$createdAt, .descending).first() {
            record = recent
        } else {
            record = ProvisioningImport(origin: origin, rows: 0, at: now)
            try await record.create(on: db)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = String(decoding: try encoder.encode(employee), as: UTF8.self)
        if let stored = try await EmployeeRecord.query(on: db).filter(\.$employeeID == employee.employeeID).first() {
            guard stored.data != data || !stored.inSource else { return }
            if stored.status == .terminated && employee.status != .terminated { stored.wasTerminated = true }
            stored.email = employee.email
            stored.name = employee.name
            stored.status = employee.status
            stored.data = data
            stored.inSource = true
            stored.updatedAt = now
            try await stored.save(on: db)
            record.changed += 1
        } else {
            try await BulkInsert.rows(into: EmployeeRecord.schema, columns: ["id", "employee_id", "email", "name", "status", "data", "pagerduty_user_id",
                                                                              "was_terminated", "in_source", "updated_at"],
                                      [[UUID(), employee.employeeID, employee.email, employee.name, employee.status.rawValue, data, String?.none, false, true, now]], on: db)
            record.added += 1
        }
        record.rows += 1
        try await record.save(on: db)
        try await BulkInsert.rows(into: EmployeeChange.schema, columns: ["id", "employee_id", "import_id", "status", "data", "recorded_at"],
                                  [[UUID(), employee.employeeID, try record.requireID(), employee.status.rawValue, data, now]], on: db)
        if employee.status != .terminated { try await PeopleDirectory(db: db, clock: clock).syncFromHR([employee]) }
    }

    /// The employees the latest imports name (read as plain rows: there can be many).
    func currentEmployees() async throws -> [CurrentEmployee] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let decoder = JSONDecoder()
        return try await sql.select().columns("data", "pagerduty_user_id", "was_terminated").from(EmployeeRecord.schema)
            .where("in_source", .equal, true).orderBy("employee_id").all().map { row in
                CurrentEmployee(employee: try decoder.decode(Employee.self, from: Data(try row.decode(column: "data", as: String.self).utf8)),
                                pagerDutyUserID: try row.decode(column: "pagerduty_user_id", as: String?.self),
                                wasTerminated: try row.decode(column: "was_terminated", as: Bool.self))
            }
    }

    func recentImports(limit: Int) async throws -> [ProvisioningImport] {
        try await ProvisioningImport.query(on: db).sort(\.$createdAt, .descending).limit(limit).all()
    }

    /// Every employee any import named, current or not.
    func records() async throws -> [EmployeeRecord] {
        try await EmployeeRecord.query(on: db).sort(\.$employeeID).all()
    }

    /// An employee's record as each import changed it, newest first.
    func history(of employeeID: String) async throws -> [EmployeeChange] {
        guard try await EmployeeRecord.query(on: db).filter(\.$employeeID == employeeID).first() != nil else {
            throw AppError.notFound("Employee \(employeeID)")
        }
        return try await EmployeeChange.query(on: db).filter(\.$employeeID == employeeID).sort(\.$recordedAt, .descending).all()
    }
}
