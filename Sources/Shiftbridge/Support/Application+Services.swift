import Vapor

/// App-wide services, created once in `configure` and reachable from any request.
extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }
    private struct SecretBoxKey: StorageKey { typealias Value = SecretBox }
    private struct SignInThrottleKey: StorageKey { typealias Value = SignInThrottle }
    private struct OutboundPolicyKey: StorageKey { typealias Value = OutboundTargetPolicy }

    /// Where outbound requests may go (set up in `configure`; tests may swap the resolver).
    var outboundPolicy: OutboundTargetPolicy {
        get { storage[OutboundPolicyKey.self]! }
        set { storage[OutboundPolicyKey.self] = newValue }
    }

    var appConfig: AppConfig {
        get { storage[ConfigKey.self]! }
        set { storage[ConfigKey.self] = newValue }
    }

    var secretBox: SecretBox {
        get { storage[SecretBoxKey.self]! }
        set { storage[SecretBoxKey.self] = newValue }
    }

    private struct ClockKey: StorageKey { typealias Value = @Sendable () -> Date }

    /// "Now" for domain decisions (handoffs); tests move it, everything else reads it.
    var now: @Sendable () -> Date {
        get { storage[ClockKey.self] ?? { Date() } }
        set { storage[ClockKey.self] = newValue }
    }

    var signInThrottle: SignInThrottle {
        get { storage[SignInThrottleKey.self]! }
        set { storage[SignInThrottleKey.self] = newValue }
    }

    var userAccounts: UserAccounts {
        UserAccounts(db: db, passwords: BcryptPasswordHashing(hasher: password.async), tokenCache: tokenCache, now: now)
    }

    var apiTokens: APITokens { APITokens(db: db, cache: tokenCache) }
}

extension Request {
    var appConfig: AppConfig { application.appConfig }
    var secretBox: SecretBox { application.secretBox }
}

extension Request {
    /// `302 Found`: what an anonymous visitor to a page gets (Vapor's helper offers 303/307 only).
    func redirectFound(to location: String) -> Response {
        let response = Response(status: .found)
        response.headers.replaceOrAdd(name: .location, value: location)
        return response
    }
}
