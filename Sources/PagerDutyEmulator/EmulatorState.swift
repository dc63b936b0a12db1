import EmulatorSupport
import Foundation
import NIOConcurrencyHelpers

/// Everything an emulator instance holds, behind one lock. Handlers take the lock briefly and
/// never await while holding it.
public final class EmulatorState: Sendable {
    struct Storage: Sendable {
        var account = Account()
        var apiKeys: [String: APIKeyRecord] = [:]
        var oauthApps: [String: OAuthAppRecord] = [:]
        var codes: [String: AuthorizationCode] = [:]
        var accessTokens: [String: AccessTokenRecord] = [:]
        var refreshTokens: [String: RefreshTokenRecord] = [:]
        var clock = EmulatorClock()
        var faults: FaultPlan?
        var stats = Stats()
        var rateWindows: [String: RateWindow] = [:]
        var random = SeededGenerator(seed: 42)
    }

    let storage: NIOLockedValueBox<Storage>
    /// Requests allowed per credential in each window (PagerDuty: 960 a minute).
    public let rateLimitPerMinute: Int
    /// The window's length; 60 s as PagerDuty's, shorter only to test recovery quickly.
    public let rateLimitWindow: TimeInterval

    public init(seed: Seed = .empty, rateLimitPerMinute: Int = 960, rateLimitWindow: TimeInterval = 60) {
        self.rateLimitPerMinute = rateLimitPerMinute
        self.rateLimitWindow = rateLimitWindow
        var storage = Storage()
        Seeds.load(seed, into: &storage)
        self.storage = NIOLockedValueBox(storage)
    }

    public enum Seed: String, Sendable, CaseIterable {
        case empty, demo
    }

    func withStorage<T>(_ body: (inout Storage) throws -> T) rethrows -> T {
        try storage.withLockedValue { try body(&$0) }
    }

    /// The emulator's "now": real time unless a test has set or moved the clock.
    public var now: Date { storage.withLockedValue { $0.clock.now() } }

    public func reset(seed: Seed) {
        storage.withLockedValue { storage in
            let keep = storage.clock
            storage = Storage()
            storage.clock = keep
            Seeds.load(seed, into: &storage)
        }
    }

    /// Creates an API key, as an admin would in PagerDuty's Integrations menu.
    public func createAPIKey(readOnly: Bool) -> String {
        storage.withLockedValue { storage in
            let key = "u+" + storage.random.token(length: 18)
            storage.apiKeys[key] = APIKeyRecord(key: key, readOnly: readOnly, label: "key…\(key.suffix(4))")
            return key
        }
    }

    /// Registers a Scoped OAuth app.
    public func createOAuthApp(redirectURI: String, scopes: [String]) -> (clientID: String, clientSecret: String) {
        storage.withLockedValue { storage in
            let app = OAuthAppRecord(clientID: storage.random.hex(length: 32), clientSecret: "pdus+" + storage.random.token(length: 40),
                                     redirectURI: redirectURI, scopes: scopes)
            storage.oauthApps[app.clientID] = app
            return (app.clientID, app.clientSecret)
        }
    }
}

/// A fixed one-minute window per credential, as PagerDuty counts.
struct RateWindow: Sendable {
    var start: Date
    var count: Int
}

struct Stats: Sendable {
    var total = 0
    var byPath: [String: Int] = [:]
    var byMethod: [String: Int] = [:]
    var byStatus: [String: Int] = [:]
    var byCredential: [String: Int] = [:]

    mutating func record(path: String, method: String, status: Int, credential: String?) {
        total += 1
        byPath[path, default: 0] += 1
        byMethod[method, default: 0] += 1
        byStatus[String(status), default: 0] += 1
        if let credential { byCredential[credential, default: 0] += 1 }
    }

    var json: JSON {
        [
            "total": .int(total),
            "by_path": .object(byPath.mapValues(JSON.int)),
            "by_method": .object(byMethod.mapValues(JSON.int)),
            "by_status": .object(byStatus.mapValues(JSON.int)),
            "by_credential": .object(byCredential.mapValues(JSON.int)),
        ]
    }
}
