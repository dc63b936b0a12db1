import Fluent
import Foundation
import ShiftbridgeCore

/// The users identity providers push over SCIM. Each write is one transaction: the SCIM user
/// and the employee it stands for change together, and planning, review and applying follow
/// as for any HR change. `active: false` makes the employee terminated (a termination item
/// with its blockers, never an instant delete); `active: true` again before that item is
/// applied cancels it, and after it is a rehire. A user with no email address is kept but
/// provisions nobody until one is pushed.
struct SCIMDirectory {
    let db: any Database
    let clock: any AppClock
    let dutyCache: ReadCache<RotationDuty.Reader>
    let runs: ProvisioningRuns

    static let maxPageSize = 200

    func list(filter: SCIMFilter?, startIndex: Int, count: Int) async throws -> (total: Int, users: [SCIMUser]) {
        var query = SCIMUser.query(on: db).sort(\.$createdAt).sort(\.$id)
        // The filters identity providers send on every push are answered from an index.
        if let equality = filter?.equality {
            switch equality.attribute.lowercased() {
            case "username": query = query.filter(\.$userName == equality.value.lowercased())
            case "externalid": query = query.filter(\.$externalID == equality.value)
            case "id": query = query.filter(\.$id == (UUID(uuidString: equality.value) ?? UUID()))
            default: break
            }
        }
        let candidates = try await query.all()
        let matching = filter.map { filter in candidates.filter { filter.matches($0.resource(base: "")) } } ?? candidates
        let page = Array(matching.dropFirst(max(startIndex - 1, 0)).prefix(max(count, 0)))
        return (matching.count, page)
    }

    func find(_ id: String) async throws -> SCIMUser {
        guard let uuid = UUID(uuidString: id), let user = try await SCIMUser.find(uuid, on: db) else {
            throw SCIMError.notFound("No User \(id)")
        }
        return user
    }

    func create(_ document: SCIMUserDocument, by token: SCIMToken) async throws -> SCIMUser {
        let now = clock.now()
        let employeeID = document.enterprise["employeeNumber"]?.string ?? document.externalID ?? (document.userName ?? "").lowercased()
        let user = try await db.transaction { db in
            // One read answers both: is the userName taken, does a User stand for this employee.
            let userName = (document.userName ?? "").lowercased()
            for other in try await SCIMUser.query(on: db).group(.or, { $0.filter(\.$userName == userName).filter(\.$employeeID == employeeID) }).all() {
                throw other.userName == userName
                    ? SCIMError(status: 409, .uniqueness, "userName \(document.userName ?? "") is already taken by User \(other.id?.uuidString.lowercased() ?? "")")
                    : SCIMError(status: 409, .uniqueness, "Another User already stands for employee \(employeeID) (employeeNumber, else externalId, names the employee)")
            }
            let user = SCIMUser(id: UUID(), document: document, employeeID: employeeID, at: now)
            try await user.create(on: db)
            try await record(user, document, previouslyActive: nil, by: token, on: db)
            return user
        }
        dutyCache.removeAll()
        return user
    }

    func replace(_ id: String, with document: SCIMUserDocument, by token: SCIMToken) async throws -> SCIMUser {
        try await change(id, by: token) { _ in document }
    }

    func patch(_ id: String, body: JSON, by token: SCIMToken) async throws -> SCIMUser {
        try await change(id, by: token) { current in
            var document = current
            try document.patch(body)
            return document
        }
    }

    /// Removes the user; the employee it stood for is terminated (and offboarded safely).
    func delete(_ id: String, by token: SCIMToken) async throws {
        let user = try await find(id)
        try await db.transaction { db in
            var document = user.document
            try document.patch(.object(["Operations": [["op": "replace", "path": "active", "value": false]]]))
            user.update(document, at: clock.now())
            try await record(user, document, previouslyActive: nil, by: token, on: db)
            try await user.delete(on: db)
        }
        dutyCache.removeAll()
    }

    private func change(_ id: String, by token: SCIMToken, _ transform: (SCIMUserDocument) throws -> SCIMUserDocument) async throws -> SCIMUser {
        let user = try await find(id)
        let document = try transform(user.document)
        let wasActive = user.active
        let cancelledIn = try await db.transaction { db in
            try await Self.checkUnique(document, except: user.id, on: db)
            user.update(document, at: clock.now())
            try await user.save(on: db)
            return try await record(user, document, previouslyActive: wasActive, by: token, on: db)
        }
        // A run whose last waiting item was cancelled is done waiting.
        for runID in cancelledIn { if let run = try await ProvisioningRun.find(runID, on: db) { try await runs.settle(run) } }
        dutyCache.removeAll()
        return user
    }

    private static func checkUnique(_ document: SCIMUserDocument, except id: UUID?, on db: any Database) async throws {
        let userName = (document.userName ?? "").lowercased()
        if let other = try await SCIMUser.query(on: db).filter(\.$userName == userName).first(), other.id != id {
            throw SCIMError(status: 409, .uniqueness, "userName \(document.userName ?? "") is already taken by User \(other.id?.uuidString.lowercased() ?? "")")
        }
    }

    /// The employee as the user now describes them, recorded as a pushed HR change; a
    /// reactivation cancels a deletion still waiting to be applied (returns the runs it was in).
    @discardableResult
    private func record(_ user: SCIMUser, _ document: SCIMUserDocument, previouslyActive: Bool?, by token: SCIMToken, on db: any Database) async throws -> Set<UUID> {
        var managerEmail: String?
        if let managerID = document.enterprise["manager"]?["value"]?.string, let uuid = UUID(uuidString: managerID),
           let manager = try await SCIMUser.find(uuid, on: db) {
            managerEmail = manager.document.email
        }
        let employee = document.employee(id: user.employeeID, managerEmail: managerEmail)
        // Kept, but not an employee until an email names them in PagerDuty (Settings → SCIM counts them).
        guard EmailAddress.isValid(employee.email) else { return [] }
        let now = clock.now()
        try await EmployeeImporter.recordPushed(employee, origin: .scim(token: token.name), at: now, on: db, clock: clock)
        guard previouslyActive == false && user.active else { return [] }
        do {
            let waiting = try await ProvisioningItem.query(on: db).filter(\.$employeeID == user.employeeID).filter(\.$action == .delete)
                .filter(\.$state ~~ [.planned, .pendingApproval, .approved, .blocked]).all()
            for item in waiting {
                item.state = .skipped
                item.reason = "Cancelled: reactivated over SCIM before the deletion was applied"
                item.updatedAt = now
                try await item.save(on: db)
                try await AuditEvent.record(on: db, at: now, actor: ImportOrigin.scim(token: token.name).actor, .provisioningDeleteCancelled, .provisioning(item.employeeID),
                                            after: "deletion of \(item.email) cancelled: reactivated")
            }
            return Set(waiting.map { $0.$run.id })
        }
    }
}
