import Foundation
import ShiftbridgeCore
import Vapor

/// A source as `POST|PATCH /api/v1/provisioning/sources` take it: `{"name", "kind",
/// "every_minutes", …kind fields}`. Checked whole; the secret (a password, token or API key)
/// is returned apart, to be sealed.
struct HRSourceInput: Content {
    var name: String?
    var kind: HRSource.Kind?
    var every_minutes: Int?
    var path: String?
    var pattern: String?
    var url: String?
    var format: ReportFormat?
    var records: String?
    var columns: [String: String]?
    var auth: Auth?
    var subdomain: String?
    var api_key: String?
    var base_url: String?

    struct Auth: Codable, Sendable {
        struct Basic: Codable, Sendable { var user: String; var password: String }
        var basic: Basic?
        var bearer: String?
    }

    static let maxMinutes = 7 * 24 * 60

    /// The source's settings with this input applied (to `existing`, for a PATCH), and a new
    /// secret if one was given. Throws naming every field to fix. A stored secret never
    /// follows a changed address: a new `url` or `base_url` needs the secret again.
    func apply(to existing: HRSourceSettings, kind: HRSource.Kind, hasSecret: Bool, policy: OutboundTargetPolicy,
               dropRoots: [String]) throws -> (HRSourceSettings, secret: String?) {
        var settings = existing
        var secret: String?
        var problems: [String] = []
        func problem(_ field: String, _ message: String) {
            problems.append(message.hasPrefix("\(field): ") ? message : "\(field): \(message)")
        }
        if let minutes = every_minutes, !(1...Self.maxMinutes).contains(minutes) { problem("every_minutes", "between 1 and \(Self.maxMinutes)") }
        switch kind {
        case .folder:
            if let path { settings.path = path }
            if let pattern { settings.pattern = pattern }
            settings.pattern = settings.pattern ?? "*.csv"
            var isDirectory: ObjCBool = false
            if let path = settings.path, path.hasPrefix("/"), FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                // Symbolic links resolved, so a link cannot lead outside the roots.
                let real = (path as NSString).resolvingSymlinksInPath
                if !dropRoots.contains(where: { real.hasPrefix(($0 as NSString).resolvingSymlinksInPath + "/") }) {
                    problem("path", "\(path) is not inside a folder HR drops may use (\(dropRoots.joined(separator: ", ")); set SHIFTBRIDGE_HR_DROP_ROOTS to allow others)")
                } else if !FileManager.default.isWritableFile(atPath: path) {
                    problem("path", "\(path) is not writable: files are moved to processed/ or rejected/ inside it")
                }
            } else {
                problem("path", "an absolute path to an existing directory, such as /srv/sftp/hr/upload")
            }
            if settings.pattern?.isEmpty != false || settings.pattern?.contains("/") == true { problem("pattern", "a file name pattern such as hr-*.csv") }
        case .url:
            if let url { settings.url = url }
            if let format { settings.format = format }
            if let records { settings.records = records }
            if let columns { settings.columns = columns }
            settings.format = settings.format ?? .csv
            do { _ = try policy.webhookURL(settings.url ?? "", field: "url") } catch let error as AppError { problem("url", error.message) }
            if hasSecret, settings.url != existing.url, auth == nil {
                problem("auth", "the URL changed, and the stored password or token is not sent to a new address: give auth again")
            }
            if let auth {
                switch (auth.basic, auth.bearer) {
                case (let basic?, nil):
                    settings.auth = .basic
                    settings.user = basic.user
                    secret = basic.password
                    if basic.user.isEmpty || basic.password.isEmpty { problem("auth", "basic needs a user and a password") }
                case (nil, let bearer?):
                    settings.auth = .bearer
                    settings.user = nil
                    secret = bearer
                    if bearer.isEmpty { problem("auth", "bearer needs the token") }
                default: problem("auth", "either {\"basic\": {\"user\", \"password\"}} or {\"bearer\": \"…\"}")
                }
            }
        case .bamboohr:
            if let subdomain { settings.subdomain = subdomain }
            if let api_key { secret = api_key }
            if settings.subdomain?.range(of: "^[A-Za-z0-9-]{1,63}$", options: .regularExpression) == nil {
                problem("subdomain", "the company's BambooHR subdomain, such as acme for acme.bamboohr.com")
            }
            if let base_url {
                do { settings.baseURL = try policy.apiBaseURL(base_url, field: "base_url", vendor: .bambooHR) } catch let error as AppError { problem("base_url", error.message) }
            }
            if hasSecret, settings.baseURL != existing.baseURL, api_key == nil {
                problem("api_key", "base_url changed, and the stored API key is not sent to a new address: give api_key again")
            }
        }
        guard problems.isEmpty else {
            throw AppError(.invalid, code: "invalid_source", "The source was not saved: " + problems.joined(separator: "; "),
                           problems: problems.map { .init(line: nil, message: $0) })
        }
        return (settings, secret)
    }
}
