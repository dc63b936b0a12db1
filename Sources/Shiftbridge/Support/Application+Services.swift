import Vapor

/// App-wide services, created once in `configure` and reachable from any request.
extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }
    private struct SecretBoxKey: StorageKey { typealias Value = SecretBox }
    private struct LoginLimiterKey: StorageKey { typealias Value = LoginRateLimiter }

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

    var loginLimiter: LoginRateLimiter {
        get { storage[LoginLimiterKey.self]! }
        set { storage[LoginLimiterKey.self] = newValue }
    }
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
