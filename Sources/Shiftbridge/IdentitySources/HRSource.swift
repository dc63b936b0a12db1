import Fluent
import Foundation
import ShiftbridgeCore

/// Where HR data is fetched from on a schedule: a drop folder, an HR report URL, or BambooHR.
/// `settings` holds the kind's fields (JSON); a password, token or API key is sealed apart.
final class HRSource: Model, @unchecked Sendable {
    static let schema = "hr_sources"

    enum Kind: String, Codable, Sendable, CaseIterable { case folder, url, bamboohr }
    enum Result: String, Codable, Sendable { case imported, unchanged, waiting, rejected, failed }

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Enum(key: "kind") var kind: Kind
    @Field(key: "every_minutes") var everyMinutes: Int
    @Field(key: "settings") var settingsJSON: String
    @OptionalField(key: "sealed_secret") var sealedSecret: String?
    @OptionalField(key: "secret_last4") var secretLast4: String?
    @OptionalField(key: "last_run_at") var lastRunAt: Date?
    @OptionalEnum(key: "last_result") var lastResult: Result?
    @OptionalField(key: "last_message") var lastMessage: String?
    /// Since when every run has failed (nil while the last one worked).
    @OptionalField(key: "failing_since") var failingSince: Date?
    @Field(key: "next_run_at") var nextRunAt: Date
    /// Digests of the contents imported, so the same file or report twice is imported once.
    @Field(key: "imported_digests") var importedDigests: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var settings: HRSourceSettings {
        get { (try? JSONDecoder().decode(HRSourceSettings.self, from: Data(settingsJSON.utf8))) ?? HRSourceSettings() }
        set { settingsJSON = String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data("{}".utf8), as: UTF8.self) }
    }

    var digests: [String] {
        get { (try? JSONDecoder().decode([String].self, from: Data(importedDigests.utf8))) ?? [] }
        set { importedDigests = String(decoding: (try? JSONEncoder().encode(Array(newValue.suffix(200)))) ?? Data("[]".utf8), as: UTF8.self) }
    }
}

/// A source's own fields, by kind (the secret is kept sealed on the source, not here).
struct HRSourceSettings: Codable, Equatable, Sendable {
    var path: String?
    var pattern: String?
    var url: String?
    var format: String?
    var records: String?
    var columns: [String: String]?
    /// "basic" or "bearer" (url), with `user` for basic.
    var auth: String?
    var user: String?
    var subdomain: String?
    var baseURL: String?
}
