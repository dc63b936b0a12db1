import Foundation
import Vapor

/// This request's view of the browser session: who is signed in, and a few small values
/// kept between pages. Changes are written once, when the response leaves
/// (`BrowserSessionMiddleware`).
final class BrowserSession: @unchecked Sendable {
    enum Change { case none, signIn(User), signOut }

    /// The stored row this request came with, if any.
    let stored: WebSession?
    private(set) var values: [String: String]
    private(set) var valuesChanged = false
    private(set) var change: Change = .none

    init(stored: WebSession?, values: [String: String]) {
        self.stored = stored
        self.values = values
    }

    subscript(key: String) -> String? {
        get { values[key] }
        set {
            guard values[key] != newValue else { return }
            values[key] = newValue
            valuesChanged = true
        }
    }

    /// Starts a new session for `user`: a new id, whatever cookie the browser brought, so a
    /// session id planted before sign-in is worth nothing after it.
    func signIn(_ user: User) {
        change = .signIn(user)
        values = [:]
        valuesChanged = true
    }

    func signOut() {
        change = .signOut
        values = [:]
    }
}

extension Request {
    private struct BrowserSessionKey: StorageKey { typealias Value = BrowserSession }

    /// The browser session (an empty one when the request came without one).
    var browserSession: BrowserSession {
        if let session = storage[BrowserSessionKey.self] { return session }
        let session = BrowserSession(stored: nil, values: [:])
        storage[BrowserSessionKey.self] = session
        return session
    }

    func setBrowserSession(_ session: BrowserSession) {
        storage[BrowserSessionKey.self] = session
    }

    var hasBrowserSession: Bool { storage[BrowserSessionKey.self] != nil }
}
