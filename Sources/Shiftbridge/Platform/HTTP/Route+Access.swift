import Vapor

extension Route {
    /// Marks a route as reachable without signing in. The access test enumerates every
    /// route and requires all others to refuse anonymous requests.
    @discardableResult
    func publicAccess() -> Route {
        userInfo["public"] = true
        return self
    }

    var isPublic: Bool { userInfo["public"] as? Bool ?? false }

    /// Marks a browser callback (such as OAuth's): it needs a session but answers an
    /// anonymous visitor with a redirect to sign-in, even under `/api/`.
    @discardableResult
    func callbackAccess() -> Route {
        userInfo["callback"] = true
        return self
    }

    var isCallback: Bool { userInfo["callback"] as? Bool ?? false }
}
