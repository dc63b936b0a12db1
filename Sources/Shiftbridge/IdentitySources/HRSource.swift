import Fluent
import Foundation
import ShiftbridgeCore

/// Where HR data is fetched from on a schedule: a drop folder, an HR report URL, or BambooHR.
/// `settings` holds the kind's fields (JSON); a password, token or API key is sealed apart.
final class HRSource: Model, @unchecked Sendable {
    static let schema = "hr_sources"

    enum Kind: String, Codable, Sendable, CaseIterable { case folder, url, bamboohr }
    typealias Result = HRSourceRun.Result

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

    /// The kind's fields. Settings that do not read are an `UnreadableRecord`, never empty ones.
    var settings: HRSourceSettings {
        get throws { try StoredJSON.decode(HRSourceSettings.self, from: settingsJSON, table: Self.schema, id: id, field: "settings") }
    }

    func store(settings: HRSourceSettings) { settingsJSON = StoredJSON.encode(settings) }

    var digests: [String] {
        get throws { try StoredJSON.decode([String].self, from: importedDigests, table: Self.schema, id: id, field: "imported_digests") }
    }

    /// Keeps the last 200 (enough to know a file dropped twice).
    func store(digests: [String]) { importedDigests = StoredJSON.encode(Array(digests.suffix(200))) }
}

/// How a report URL's body is read.
enum ReportFormat: String, Codable, Sendable { case csv, json }

/// How a report URL is signed in to (the secret is sealed on the source).
enum ReportAuth: String, Codable, Sendable { case basic, bearer }

/// A source's own fields, by kind (the secret is kept sealed on the source, not here).
struct HRSourceSettings: Codable, Equatable, Sendable {
    var path: String?
    var pattern: String?
    var url: String?
    var format: ReportFormat?
    var records: String?
    var columns: [String: String]?
    /// With `user` for basic.
    var auth: ReportAuth?
    var user: String?
    var subdomain: String?
    var baseURL: String?
}
