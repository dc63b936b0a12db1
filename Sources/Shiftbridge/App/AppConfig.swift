import Foundation

/// Everything the app reads from its environment, parsed once at start.
public struct AppConfig: Sendable, Equatable {
    public enum Storage: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public var dataDirectory: String
    public var storage: Storage
    /// Base64 of a 32-byte key; nil means "use (or create) `<data dir>/secret.key`".
    public var secretKey: String?
    /// Older keys still accepted for opening sealed values (key rotation).
    public var previousSecretKeys: [String]
    /// Where users reach the app, e.g. `https://shiftbridge.example.com`. Drives OAuth
    /// redirect URLs and the `Secure` cookie flag.
    public var publicURL: String?
    public var loginAttemptsPerMinute: Int
    /// Hosts webhooks may reach over plain http (`SHIFTBRIDGE_ALLOW_HTTP_HOSTS`).
    public var allowHTTPHosts: Set<String> = []
    /// Webhooks may reach loopback and private addresses (`SHIFTBRIDGE_ALLOW_PRIVATE_TARGETS=1`).
    public var allowPrivateTargets = false
    /// Vendor API hosts only, any host, or these origins too (`SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS`).
    public var customAPIHosts: CustomAPIHosts = .none
    /// `serve` runs the background jobs too, unless `SHIFTBRIDGE_JOBS=off` (web-only instances).
    public var runJobs = true
    /// Folders HR drop folders may be inside (`SHIFTBRIDGE_HR_DROP_ROOTS`, colon-separated):
    /// a folder source moves files, so it may not point anywhere on the machine.
    public var hrDropRoots: [String] = []
    /// A connection that sends nothing for this long (a request head left unfinished, a body
    /// that stops) is closed (`SHIFTBRIDGE_IDLE_TIMEOUT_SECONDS`).
    public var idleTimeoutSeconds = 30

    public enum CustomAPIHosts: Sendable, Equatable {
        case none, any
        case origins(Set<String>)
    }

    public var secureCookies: Bool { publicURL?.lowercased().hasPrefix("https://") ?? false }

    public struct InvalidSetting: Error, CustomStringConvertible, Equatable {
        public let name: String
        public let problem: String
        public var description: String { "\(name): \(problem)" }
    }

    public static let defaultDataDirectory = "./data"

    static func flag(_ name: String, _ raw: String?) throws -> Bool {
        guard let raw else { return false }
        switch raw.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw InvalidSetting(name: name, problem: "expected 1 or 0, got '\(raw)'")
        }
    }

    /// Reads the configuration from environment variables. Unknown variables are ignored;
    /// a variable that is set but unusable is an error that names it.
    public static func load(environment: [String: String]) throws -> AppConfig {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty
            else { return nil }
            return raw
        }
        let dataDirectory = value("SHIFTBRIDGE_DATA_DIR") ?? defaultDataDirectory

        let storage: Storage
        if let url = value("DATABASE_URL") {
            guard let components = URLComponents(string: url),
                  let scheme = components.scheme?.lowercased(),
                  ["postgres", "postgresql"].contains(scheme),
                  components.host?.isEmpty == false
            else {
                throw InvalidSetting(
                    name: "DATABASE_URL",
                    problem: "expected postgres://USER:PASSWORD@HOST:PORT/DATABASE (leave it unset to use the embedded SQLite file)")
            }
            storage = .postgres(url: url)
        } else {
            storage = .sqlite(path: (dataDirectory as NSString).appendingPathComponent("shiftbridge.sqlite"))
        }

        let secretKey = value("SHIFTBRIDGE_SECRET_KEY")
        if let secretKey { try SecretKeyMaterial.validate(secretKey, variable: "SHIFTBRIDGE_SECRET_KEY") }
        let previous = (value("SHIFTBRIDGE_PREVIOUS_SECRET_KEYS") ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for key in previous { try SecretKeyMaterial.validate(key, variable: "SHIFTBRIDGE_PREVIOUS_SECRET_KEYS") }

        let publicURL = value("SHIFTBRIDGE_PUBLIC_URL").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        if let publicURL {
            guard let url = URL(string: publicURL), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw InvalidSetting(name: "SHIFTBRIDGE_PUBLIC_URL", problem: "expected an absolute http(s) URL such as https://shiftbridge.example.com")
            }
        }

        var loginAttempts = 10
        if let raw = value("SHIFTBRIDGE_LOGIN_ATTEMPTS_PER_MINUTE") {
            guard let parsed = Int(raw), parsed > 0 else {
                throw InvalidSetting(name: "SHIFTBRIDGE_LOGIN_ATTEMPTS_PER_MINUTE", problem: "expected a positive whole number, got '\(raw)'")
            }
            loginAttempts = parsed
        }

        var config = AppConfig(
            dataDirectory: dataDirectory, storage: storage, secretKey: secretKey,
            previousSecretKeys: previous, publicURL: publicURL, loginAttemptsPerMinute: loginAttempts)
        config.allowHTTPHosts = Set((value("SHIFTBRIDGE_ALLOW_HTTP_HOSTS") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
        config.allowPrivateTargets = try flag("SHIFTBRIDGE_ALLOW_PRIVATE_TARGETS", value("SHIFTBRIDGE_ALLOW_PRIVATE_TARGETS"))
        config.hrDropRoots = (value("SHIFTBRIDGE_HR_DROP_ROOTS") ?? "/srv:\((dataDirectory as NSString).appendingPathComponent("drops"))")
            .split(separator: ":").map { ($0.trimmingCharacters(in: .whitespaces) as NSString).standardizingPath }.filter { $0.hasPrefix("/") }
        if let raw = value("SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS") {
            if (try? flag("SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS", raw)) == true {
                config.customAPIHosts = .any
            } else if (try? flag("SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS", raw)) == false {
                config.customAPIHosts = .none
            } else {
                var origins = Set<String>()
                for item in raw.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
                    guard let url = URLComponents(string: item), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                          let host = url.host, !host.isEmpty, url.path.isEmpty || url.path == "/"
                    else {
                        throw InvalidSetting(name: "SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS",
                                             problem: "expected 1 (any host) or origins such as http://127.0.0.1:8081, got '\(item)'")
                    }
                    origins.insert("\(scheme)://\(host.lowercased())\(url.port.map { ":\($0)" } ?? "")")
                }
                config.customAPIHosts = .origins(origins)
            }
        }
        if let raw = value("SHIFTBRIDGE_IDLE_TIMEOUT_SECONDS") {
            guard let seconds = Int(raw), (1...3600).contains(seconds) else {
                throw InvalidSetting(name: "SHIFTBRIDGE_IDLE_TIMEOUT_SECONDS", problem: "expected seconds from 1 to 3600, got '\(raw)'")
            }
            config.idleTimeoutSeconds = seconds
        }
        if let raw = value("SHIFTBRIDGE_JOBS") {
            switch raw.lowercased() {
            case "on", "1", "true": config.runJobs = true
            case "off", "0", "false": config.runJobs = false
            default: throw InvalidSetting(name: "SHIFTBRIDGE_JOBS", problem: "expected on or off, got '\(raw)'")
            }
        }
        return config
    }
}
