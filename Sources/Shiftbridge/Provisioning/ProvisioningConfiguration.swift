import Fluent
import Foundation
import ShiftbridgeCore

/// The role rules and the provisioning settings: read, validated whole, saved with an audit
/// event in one transaction.
struct ProvisioningConfiguration {
    let db: any Database
    let clock: any AppClock

    func settings() async throws -> ProvisioningSettings {
        try await document(.settings) ?? ProvisioningSettings()
    }

    /// Applies the keys `json` names onto the current settings; refuses invalid ones whole.
    func saveSettings(_ json: Data, actor: String) async throws -> ProvisioningSettings {
        let current = try await settings()
        let updated: ProvisioningSettings
        do {
            updated = try JSONDecoder().decode(SettingsPatch.self, from: json, configuration: current).settings
        } catch let error as DecodingError {
            throw AppError(decoding: error)
        }
        let problems = updated.problems()
        guard problems.isEmpty else { throw AppError.invalid("The settings were not saved", problems) }
        try await save(.settings, updated, actor: actor, action: .provisioningSettingsSaved)
        return updated
    }

    func rules() async throws -> RoleRules {
        try await document(.rules) ?? RoleRules()
    }

    func saveRules(_ json: Data, actor: String) async throws -> RoleRules {
        let rules = try Self.decodeRules(json)
        try await save(.rules, rules, actor: actor, action: .provisioningRulesSaved)
        return rules
    }

    /// Rules from JSON, or every problem with them (a preview checks rules it does not save).
    static func decodeRules(_ json: Data) throws -> RoleRules {
        let rules: RoleRules
        do {
            rules = try JSONDecoder().decode(RoleRules.self, from: json)
        } catch let error as DecodingError {
            let known = Condition.Operator.allCases.map(\.rawValue).joined(separator: ", ")
            let base = AppError(decoding: error)
            throw AppError(base.kind, code: base.code, base.message + " (operators: \(known))")
        }
        let problems = rules.problems()
        guard problems.isEmpty else { throw AppError.invalid("The rules were not saved", problems) }
        return rules
    }

    private func document<T: Decodable>(_ key: ProvisioningDocument.Key) async throws -> T? {
        guard let stored = try await ProvisioningDocument.find(key.rawValue, on: db) else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(stored.json.utf8))
    }

    private func save<T: Encodable>(_ key: ProvisioningDocument.Key, _ value: T, actor: String, action: AuditAction) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(value), as: UTF8.self)
        let now = clock.now()
        try await db.transaction { db in
            let existing = try await ProvisioningDocument.find(key.rawValue, on: db)
            let stored = existing ?? ProvisioningDocument(key: key)
            let before = existing?.json
            stored.json = json
            stored.updatedBy = actor
            stored.updatedAt = now
            try await stored.save(on: db)
            try await AuditEvent.record(on: db, at: now, actor: actor, action, .provisioning(key.rawValue),
                                        before: before.map { String($0.prefix(500)) }, after: String(json.prefix(500)))
        }
    }
}
