import Foundation
import ShiftbridgeCore

extension AppDriver {
    package func saveProvisioningSettings(_ json: String, actor: String) async throws {
        _ = try await services.provisioningConfiguration(db).saveSettings(Data(json.utf8), actor: actor)
    }

    package func provisioningSettings() async throws -> ProvisioningSettings {
        try await services.provisioningConfiguration(db).settings()
    }

    package var hasProvisioningRules: Bool {
        get async throws { try await ProvisioningDocument.find(ProvisioningDocument.Key.rules.rawValue, on: db) != nil }
    }

    package func saveProvisioningRules(_ json: String, actor: String) async throws {
        _ = try await services.provisioningConfiguration(db).saveRules(Data(json.utf8), actor: actor)
    }

    /// Imports an HR export; returns its row and added counts.
    package func importEmployees(_ csv: Data, actor: String) async throws -> (rows: Int, added: Int) {
        let record = try await services.employeeImporter(db).importCSV(csv, origin: .upload(by: actor))
        return (record.rows, record.added)
    }

    package func currentEmployees() async throws -> [Employee] {
        try await services.employeeImporter(db).currentEmployees().map(\.employee)
    }

    /// A SCIM token, in clear, for an identity provider to push with.
    package func createSCIMToken(name: String, actor: String) async throws -> String {
        try await services.scimTokens(db).create(name: name, actor: actor).1
    }

    /// Plans a run; returns its id and status.
    package func startProvisioningRun(dryRun: Bool, actor: String) async throws -> (id: UUID, status: ProvisioningRunStatus) {
        let run = try await services.provisioningRuns(db).start(dryRun: dryRun, actor: actor)
        return (try run.requireID(), run.status)
    }

    /// Applies a run here until nothing of it is left to apply.
    package func applyProvisioningRun(_ id: UUID) async throws {
        try await services.provisioningApplier(db).applyRun(id, holder: services.instanceID)
    }

    package func provisioningReport(_ id: UUID) async throws -> ProvisioningReport {
        try await services.provisioningRuns(db).report(id).0
    }

    /// PagerDuty's users and teams as a plan reads them (complete, or an error).
    package func readPagerDutyAccount() async throws -> (users: [ProvisioningPlanner.AccountUser], teams: [String: String]) {
        guard let client = try await services.pagerDutyClients(db).client(for: .provisioning) else { throw AppError(.conflict, code: "not_connected", "Connect PagerDuty first") }
        let snapshot = try await PagerDutyAccountReader(client: client).snapshot(rules: RoleRules(), employees: [])
        return (snapshot.users, snapshot.teams)
    }
}
