import Fluent
import Foundation
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

/// Browser sessions: a new id whenever someone signs in or out, rows only for signed-in
/// people, and nothing kept past its expiry.
@Suite struct SessionTests {
    static func sessionCookie(_ response: TestingHTTPResponse) -> String? {
        response.headers[.setCookie].first { $0.hasPrefix("shiftbridge_session=") }
            .map { String($0.dropFirst("shiftbridge_session=".count).prefix { $0 != ";" }) }
    }

    @Test func signingInGivesANewSessionIdAndAPlantedOneIsWorthNothing() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            try await app.createAdmin(email: "other@example.com")
            // An id planted in the victim's browser before sign-in.
            let attacker = Browser(app)
            _ = try await attacker.signIn(email: "other@example.com", password: testPassword)
            let planted = try #require(attacker.cookies["shiftbridge_session"])
            let victim = Browser(app)
            let form = try await victim.request(.GET, "/sign-in")
            victim.setCookie("shiftbridge_session", planted)
            // The form was made before the id was planted: its token is no good in that session.
            let refused = try await victim.request(.POST, "/sign-in", form: ["email": "ops@example.com", "password": testPassword,
                                                                             "_csrf": try victim.csrfToken(from: form)])
            #expect(refused.status == .forbidden)
            #expect(try await WebSession.query(on: app.db).count() == 1, "no session was made for the victim's sign-in")
            // Without the planted id, the victim signs in and gets a new id of their own.
            victim.setCookie("shiftbridge_session", "")
            let reloaded = try await victim.request(.GET, "/sign-in")
            let signedIn = try await victim.request(.POST, "/sign-in", form: ["email": "ops@example.com", "password": testPassword,
                                                                              "_csrf": try victim.csrfToken(from: reloaded)])
            #expect(signedIn.status == .seeOther)
            let fresh = try #require(Self.sessionCookie(signedIn))
            #expect(fresh != planted)
            // The planted id does not carry the victim's sign-in.
            let me = try await attacker.request(.GET, "/api/v1/me")
            #expect(me.status == .unauthorized || !me.body.string.contains("ops@example.com"))
            // Signing in again replaces the id again; the old one stops working.
            let home = try await victim.request(.GET, "/")
            _ = try await victim.request(.POST, "/sign-out", form: ["_csrf": try victim.csrfToken(from: home)])
            let again = try await victim.signIn(email: "ops@example.com", password: testPassword)
            #expect(try #require(Self.sessionCookie(again)) != fresh)
            let stale = Browser(app)
            stale.setCookie("shiftbridge_session", fresh)
            #expect(try await stale.request(.GET, "/api/v1/me").status == .unauthorized)
        }
    }

    /// A token taken while signed out (from `/sign-in`, with its cookie) planted in a
    /// signed-in browser posts nothing: tokens are bound to the session.
    @Test func aSignedOutTokenFailsInASignedInSession() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let attacker = Browser(app)
            let page = try await attacker.request(.GET, "/sign-in")
            let (cookie, token) = (try #require(attacker.cookies["shiftbridge_csrf"]), try attacker.csrfToken(from: page))
            let victim = Browser(app)
            _ = try await victim.signIn(email: "ops@example.com", password: testPassword)
            victim.setCookie("shiftbridge_csrf", cookie)
            let forged = try await victim.request(.POST, "/settings/tokens", form: ["_csrf": token, "name": "planted"])
            #expect(forged.status == .forbidden, "\(forged.status)")
            #expect(try await APIToken.query(on: app.db).count() == 0)
            // The victim's own pages carry tokens bound to their session, and those work.
            let own = try await victim.request(.GET, "/settings/tokens")
            let made = try await victim.request(.POST, "/settings/tokens", form: ["_csrf": try victim.csrfToken(from: own), "name": "mine"])
            #expect(made.status != .forbidden)
            #expect(try await APIToken.query(on: app.db).count() == 1)
        }
    }

    /// Under https the cookies are `__Host-` prefixed (Secure, Path=/, no Domain).
    @Test func httpsCookiesUseTheHostPrefix() async throws {
        try await withTestApp(environment: ["SHIFTBRIDGE_PUBLIC_URL": "https://shiftbridge.example.com"]) { app in
            try await app.createAdmin()
            let browser = Browser(app)
            let page = try await browser.request(.GET, "/sign-in")
            let csrf = try #require(page.headers[.setCookie].first { $0.hasPrefix("__Host-shiftbridge_csrf=") })
            #expect(csrf.contains("Secure") && csrf.contains("Path=/") && !csrf.contains("Domain"))
            let signedIn = try await browser.request(.POST, "/sign-in", form: ["email": "ops@example.com", "password": testPassword,
                                                                                "_csrf": try browser.csrfToken(from: page)])
            let session = try #require(signedIn.headers[.setCookie].first { $0.hasPrefix("__Host-shiftbridge_session=") })
            #expect(session.contains("Secure") && session.contains("Path=/") && !session.contains("Domain"))
            #expect(try await browser.request(.GET, "/api/v1/me").status == .ok)
            // The unprefixed names mean nothing there.
            let plain = Browser(app)
            plain.setCookie("shiftbridge_session", try #require(browser.cookies["__Host-shiftbridge_session"]))
            #expect(try await plain.request(.GET, "/api/v1/me").status == .unauthorized)
        }
    }

    @Test func signingOutEndsTheSessionEverywhere() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let browser = Browser(app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let id = try #require(browser.cookies["shiftbridge_session"])
            let home = try await browser.request(.GET, "/")
            let out = try await browser.request(.POST, "/sign-out", form: ["_csrf": try browser.csrfToken(from: home)])
            #expect(out.status == .seeOther)
            #expect(try await WebSession.query(on: app.db).count() == 0)
            let copy = Browser(app)
            copy.setCookie("shiftbridge_session", id)
            #expect(try await copy.request(.GET, "/").status == .found)
        }
    }

    @Test func anonymousVisitsWriteNoSessionRowsAndExpiredOnesArePruned() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            for _ in 0..<5 {
                let visitor = Browser(app)
                _ = try await visitor.request(.GET, "/sign-in")
                _ = try await visitor.signIn(email: "ops@example.com", password: "not the password at all")
                _ = try await visitor.request(.GET, "/rotations")
            }
            let garbage = Browser(app)
            garbage.setCookie("shiftbridge_session", "forged-value")
            _ = try await garbage.request(.GET, "/sign-in")
            #expect(try await WebSession.query(on: app.db).count() == 0)

            let browser = Browser(app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            #expect(try await WebSession.query(on: app.db).count() == 1)
            // Past its week, a session neither opens nor stays.
            let row = try #require(try await WebSession.query(on: app.db).first())
            row.expiresAt = Date().addingTimeInterval(-1)
            try await row.save(on: app.db)
            #expect(try await browser.request(.GET, "/").status == .found)
            #expect(try await ExpiredSessionsPruner.runOnce(db: app.db, now: Date()) == 1)
            #expect(try await WebSession.query(on: app.db).count() == 0)
        }
    }

    @Test func afterSignInOnlySameSitePathsAreFollowed() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            for next in ["/%09/evil.example", "/%0a/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "/%5Cevil.example"] {
                let browser = Browser(app)
                let page = try await browser.request(.GET, "/sign-in")
                let decoded = next.removingPercentEncoding ?? next
                let response = try await browser.request(.POST, "/sign-in", form: ["email": "ops@example.com", "password": testPassword, "next": decoded,
                                                                                   "_csrf": try browser.csrfToken(from: page)])
                #expect(response.headers.first(name: .location) == "/", "\(next) led to \(response.headers.first(name: .location) ?? "")")
            }
            #expect(SafeRedirect.path("/rotations/OPS?tab=history") == "/rotations/OPS?tab=history")
        }
    }

    @Test func wrongPasswordsForOneAccountDoNotLockAnotherOutFromTheSameAddress() async throws {
        try await withTestApp(environment: ["SHIFTBRIDGE_LOGIN_ATTEMPTS_PER_MINUTE": "3"]) { app in
            try await app.createAdmin()
            try await app.createAdmin(email: "colleague@example.com")
            let guesser = Browser(app)
            for _ in 0..<5 { _ = try await guesser.signIn(email: "ops@example.com", password: "wrong guess number one") }
            #expect(try await guesser.signIn(email: "ops@example.com", password: testPassword).status == .tooManyRequests)
            // Same office (same address), another account: unaffected.
            #expect(try await Browser(app).signIn(email: "colleague@example.com", password: testPassword).status == .seeOther)
        }
    }

    @Test func weakPasswordsAreRefusedWithWhatToChange() async throws {
        for (password, hint) in [(String(repeating: " ", count: 12), "at least 12"), ("aaaaaaaaaaaaaaa", "repeats"), ("abcabcabcabcabc", "repeats"),
                                 ("ops@example.com", "email"), ("Password1234!", "guesser"), ("qwertyuiop12", "guesser"),
                                 ("123456789012", "guesser"), ("passwordpassword", "guesser")] {
            let problem = PasswordPolicy.problem(with: password, email: "ops@example.com")
            #expect(problem?.contains(hint) == true, "\(password): \(problem ?? "accepted")")
        }
        #expect(PasswordPolicy.problem(with: "correct horse battery staple", email: "ops@example.com") == nil)
        try await withTestApp { app in
            let browser = Browser(app)
            let setup = try await browser.request(.GET, "/setup")
            let refused = try await browser.request(.POST, "/setup", form: ["email": "ops@example.com", "password": String(repeating: " ", count: 12),
                                                                             "_csrf": try browser.csrfToken(from: setup)])
            #expect(refused.status == .unprocessableEntity)
            #expect(try await User.query(on: app.db).count() == 0)
        }
    }
}
