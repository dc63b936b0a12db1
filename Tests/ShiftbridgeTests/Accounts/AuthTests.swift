import Fluent
import Foundation
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

@Suite struct AuthTests {
    @Test func firstRunPageCreatesTheFirstAdminOnlyOnce() async throws {
        try await withTestApp { app in
            let browser = Browser(app)
            let redirect = try await browser.request(.GET, "/sign-in")
            #expect(redirect.status == .found)
            #expect(redirect.headers.first(name: .location) == "/setup")

            let setup = try await browser.request(.GET, "/setup")
            #expect(setup.status == .ok)
            let token = try browser.csrfToken(from: setup)

            let weak = try await browser.request(.POST, "/setup", form: ["email": "ops@example.com", "password": "short", "_csrf": token])
            #expect(weak.status == .unprocessableEntity)
            #expect(weak.body.string.contains("at least 12 characters"))
            #expect(try await User.query(on: app.db).count() == 0)

            let created = try await browser.request(.POST, "/setup", form: ["email": "Ops@Example.com", "password": testPassword, "_csrf": token])
            #expect(created.status == .seeOther)
            #expect(try await User.query(on: app.db).first()?.email == "ops@example.com")
            let home = try await browser.request(.GET, "/")
            #expect(home.status == .ok)
            #expect(home.body.string.contains("ops@example.com"))

            // Once an admin exists the set-up page is gone, for everyone.
            let stranger = Browser(app)
            let again = try await stranger.request(.GET, "/setup")
            #expect(again.headers.first(name: .location) == "/sign-in")
            let forced = try await stranger.request(.POST, "/setup", form: ["email": "evil@example.com", "password": testPassword, "_csrf": token])
            #expect(forced.status == .forbidden)  // no session token
            #expect(try await User.query(on: app.db).count() == 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == .adminCreated).count() == 1)
        }
    }

    @Test func tokenCallsNeitherCreateNorSetASession() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let token = try await app.issueToken(email: "ops@example.com", name: "t")
            for _ in 0..<3 {
                let response = try await app.testing().sendRequest(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"])
                #expect(response.status == .ok)
                #expect(response.headers[.setCookie].isEmpty)
            }
            #expect(try await WebSession.query(on: app.db).count() == 0)
            // A browser's session still reaches the API.
            let browser = Browser(app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            #expect(try await browser.request(.GET, "/api/v1/me").status == .ok)
        }
    }

    @Test func signInSetsAHardenedSessionCookieAndSignOutEndsIt() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let browser = Browser(app)
            let response = try await browser.signIn(email: "OPS@example.com", password: testPassword)
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/")
            let cookie = try #require(response.headers[.setCookie].first { $0.hasPrefix("shiftbridge_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.lowercased().contains("samesite=lax"))
            #expect(!cookie.contains("Secure"))
            #expect(try await browser.request(.GET, "/audit").status == .ok)

            let home = try await browser.request(.GET, "/")
            let signOut = try await browser.request(.POST, "/sign-out", form: ["_csrf": browser.csrfToken(from: home)])
            #expect(signOut.headers.first(name: .location) == "/sign-in")
            #expect(try await browser.request(.GET, "/audit").status == .found)
        }
    }

    @Test func secureCookieBehindHTTPS() async throws {
        try await withTestApp(environment: ["SHIFTBRIDGE_PUBLIC_URL": "https://sb.example.com"]) { app in
            try await app.createAdmin()
            let response = try await Browser(app).signIn(email: "ops@example.com", password: testPassword)
            let cookie = try #require(response.headers[.setCookie].first { $0.hasPrefix("__Host-shiftbridge_session=") })
            #expect(cookie.contains("Secure"))
        }
    }

    @Test func signInRedirectsOnlyToLocalPaths() async throws {
        #expect(SafeRedirect.path("/audit?page=2") == "/audit?page=2")
        #expect(SafeRedirect.path("//evil.example.com") == nil)
        #expect(SafeRedirect.path("https://evil.example.com") == nil)
        #expect(SafeRedirect.path("/\\evil.example.com") == nil)
    }

    @Test func formPostsWithoutTheCSRFTokenAreRefused() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let browser = Browser(app)
            _ = try await browser.request(.GET, "/sign-in")
            let missing = try await browser.request(.POST, "/sign-in", form: ["email": "ops@example.com", "password": testPassword])
            #expect(missing.status == .forbidden)
            let wrong = try await browser.request(.POST, "/sign-in", form: ["email": "ops@example.com", "password": testPassword, "_csrf": "forged"])
            #expect(wrong.status == .forbidden)

            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            // Signed in, a state-changing call still needs the token, by form or header.
            let signOut = try await browser.request(.POST, "/sign-out", form: [:])
            #expect(signOut.status == .forbidden)
            #expect(try await browser.request(.GET, "/").status == .ok)
        }
    }

    @Test func wrongPasswordsAreRateLimited() async throws {
        try await withTestApp(environment: ["SHIFTBRIDGE_LOGIN_ATTEMPTS_PER_MINUTE": "3"]) { app in
            try await app.createAdmin()
            let browser = Browser(app)
            for _ in 0..<3 {
                let failed = try await browser.signIn(email: "ops@example.com", password: "wrong password here")
                #expect(failed.status == .unauthorized)
                #expect(failed.body.string.contains("do not match"))
            }
            // Even the right password waits now.
            let limited = try await browser.signIn(email: "ops@example.com", password: testPassword)
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers.first(name: .retryAfter) ?? "") ?? 0 > 0)
            #expect(limited.body.string.contains("Too many sign-in attempts"))
        }
    }

    @Test func apiTokensAuthenticateAndAreStoredHashed() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let token = try await app.issueToken(email: "ops@example.com", name: "grafana")
            #expect(token.hasPrefix("sbt_"))
            let stored = try #require(try await APIToken.query(on: app.db).first())
            #expect(stored.tokenHash != token && !stored.tokenHash.contains(token))
            #expect(stored.last4 == String(token.suffix(4)))

            let me = try await app.testing().sendRequest(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"])
            #expect(me.status == .ok)
            #expect(me.body.string.contains("\"authenticated_by\":\"token\""))

            for bad in ["Bearer sbt_nope", "Bearer \(token)x", "Token token=\(token)"] {
                let refused = try await app.testing().sendRequest(.GET, "/api/v1/me", headers: ["Authorization": bad])
                #expect(refused.status == .unauthorized)
                #expect(refused.body.string.contains("\"code\":\"unauthenticated\""))
            }
        }
    }

    @Test func aSecondAccountForTheSameEmailIsAConflict() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let error = try await #require(throws: AppError.self) { try await app.createAdmin(email: "OPS@example.com") }
            #expect(error.kind == .conflict)
            #expect(error.message.contains("already exists"))
        }
    }

    @Test func browserSessionCanCallTheAPIButNeedsCSRFToChangeThings() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let browser = Browser(app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let me = try await browser.request(.GET, "/api/v1/me")
            #expect(me.status == .ok)
            #expect(me.body.string.contains("\"authenticated_by\":\"session\""))
        }
    }
}
