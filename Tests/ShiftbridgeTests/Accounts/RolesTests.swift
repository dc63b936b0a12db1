import Fluent
import Foundation
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

/// Users besides administrators: invited, they see public rotations and their own, edit what
/// they own, read the history of what they may see, and nothing of the admin-only areas.
@Suite struct RolesTests {
    @Test func anInvitedUserSeesAndChangesOnlyWhatTheyMay() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let admin = RotationsTests.API(app: app, token: try await app.issueToken())
            for (name, email) in [("Ann", "ann@example.com"), ("Ben", "ben@example.com")] {
                #expect(try await admin.call(.POST, "/api/v1/people", ["name": name, "email": email]).status == .created)
            }
            #expect(try await admin.call(.POST, "/api/v1/rotations", ["code": "PUB", "name": "Public", "members": ["ann@example.com", "ben@example.com"]]).status == .created)
            #expect(try await admin.call(.POST, "/api/v1/rotations", ["code": "SECRET", "name": "Secret", "is_public": false, "members": ["ann@example.com"]]).status == .created)
            #expect(try await admin.call(.POST, "/api/v1/webhooks", ["url": "https://hooks.example.com/private-path"]).status == .created)

            // The invitation link, shown once, opens a page that sets the password.
            let invitation = try await admin.call(.POST, "/api/v1/invitations", ["email": "User@Example.com", "role": "user"])
            #expect(invitation.status == .created)
            let link = try #require(try invitation.decode(AccountsAPIController.InvitationDTO.self).url)
            let path = String(link[try #require(link.range(of: "/invitations/"))!.lowerBound...])
            let browser = Browser(app)
            let page = try await browser.request(.GET, path)
            #expect(page.status == .ok && page.body.string.contains("user@example.com"))
            let weak = try await browser.request(.POST, path, form: ["password": "short", "_csrf": try browser.csrfToken(from: page)])
            #expect(weak.status == .unprocessableEntity)
            let joined = try await browser.request(.POST, path, form: ["password": "a long user passphrase", "_csrf": try browser.csrfToken(from: page)])
            #expect(joined.status == .seeOther)
            #expect(try await browser.request(.GET, "/api/v1/me").body.string.contains("\"is_admin\":false"))
            #expect(try await Browser(app).request(.GET, path).status == .notFound, "the link works once")

            let user = RotationsTests.API(app: app, token: try await app.issueToken(email: "user@example.com"))
            let codes = try await user.get("/api/v1/rotations", as: RotationsAPIController.RotationList.self).rotations.map(\.code)
            #expect(codes == ["PUB"])
            #expect(try await user.call(.GET, "/api/v1/rotations/SECRET").status == .notFound)
            #expect(try await user.call(.PATCH, "/api/v1/rotations/PUB", ["name": "Mine now"]).status == .forbidden)
            #expect(try await user.call(.POST, "/api/v1/rotations/PUB/rotate").status == .forbidden)
            #expect(try await user.call(.POST, "/api/v1/rotations/PUB/sync").status == .forbidden)
            #expect(try await user.call(.POST, "/api/v1/rotations", ["code": "MINE", "name": "Mine", "members": ["ben@example.com"]]).status == .created)
            #expect(try await user.call(.PATCH, "/api/v1/rotations/MINE", ["name": "Still mine"]).status == .ok)

            for (method, adminOnly) in [(HTTPMethod.GET, "/api/v1/webhooks"), (.GET, "/api/v1/provisioning/settings"), (.GET, "/api/v1/users"),
                                        (.GET, "/api/v1/invitations"), (.GET, "/api/v1/integrations/pagerduty")] {
                #expect(try await user.call(method, adminOnly).status == .forbidden, "\(adminOnly)")
            }
            for adminPage in ["/provisioning", "/settings/integrations", "/settings/webhooks", "/settings/users"] {
                #expect(try await browser.request(.GET, adminPage).status == .forbidden, "\(adminPage)")
            }
            #expect(try await browser.request(.GET, "/settings/tokens").status == .ok)
            #expect(try await browser.request(.GET, "/settings").headers.first(name: .location) == "/settings/tokens")

            // The audit log: what the user may see, and nothing else.
            let events = try await user.auditEvents("?limit=500")
            let targets = Set(events.map(\.target))
            #expect(targets.contains("rotation:PUB") && targets.contains("rotation:MINE"))
            #expect(!targets.contains("rotation:SECRET"))
            #expect(!events.contains { $0.action.hasPrefix("webhook.") })
            #expect(!(try await browser.request(.GET, "/audit").body.string.contains("private-path")))
            #expect(try await admin.call(.GET, "/api/v1/audit-events?limit=500").text.contains("private-path"))
        }
    }

    @Test func roleChangesAndRemovalTakeEffectAtOnce() async throws {
        try await withTestApp { app in
            let owner = try await app.createAdmin()
            let admin = RotationsTests.API(app: app, token: try await app.issueToken())
            let (invitation, link) = try await app.services.userAccounts(app.db).invite(email: "dev@example.com", role: .user, by: owner)
            _ = try await app.services.userAccounts(app.db).accept(token: link, password: "a long developer passphrase")
            _ = invitation
            let dev = try #require(try await User.query(on: app.db).filter(\.$email == "dev@example.com").first())
            let devAPI = RotationsTests.API(app: app, token: try await app.issueToken(email: "dev@example.com"))
            #expect(try await devAPI.call(.GET, "/api/v1/webhooks").status == .forbidden)
            #expect(try await admin.call(.PATCH, "/api/v1/users/\(try dev.requireID())", ["role": "admin"]).status == .ok)
            #expect(try await devAPI.call(.GET, "/api/v1/webhooks").status == .ok, "the cached token check saw the old role")
            // The last administrator cannot be demoted or removed, nor anyone by themselves.
            #expect(try await admin.call(.PATCH, "/api/v1/users/\(try owner.requireID())", ["role": "user"]).status == .conflict)
            #expect(try await admin.call(.DELETE, "/api/v1/users/\(try owner.requireID())").status == .conflict)
            let browser = Browser(app)
            _ = try await browser.signIn(email: "dev@example.com", password: "a long developer passphrase")
            #expect(try await admin.call(.DELETE, "/api/v1/users/\(try dev.requireID())").status == .noContent)
            #expect(try await devAPI.call(.GET, "/api/v1/me").status == .unauthorized)
            #expect(try await browser.request(.GET, "/").status == .found)
            #expect(try await WebSession.query(on: app.db).count() == 0)
        }
    }
}

extension RolesTests {
    /// Two administrators demoting (or removing) each other at the same moment leave one.
    @Test(arguments: [TestDatabase.sqlite] + (TestDatabase.postgresURL == nil ? [] : [TestDatabase.postgres]))
    func twoAdministratorsDemotingEachOtherLeaveOne(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for round in 0..<8 {
                let a = try await app.createAdmin(email: "a\(round)@example.com"), b = try await app.createAdmin(email: "b\(round)@example.com")
                // Only these two are administrators this round.
                try await User.query(on: app.db).filter(\.$email !~ ["a\(round)@example.com", "b\(round)@example.com"]).set(\.$isAdmin, to: false).update()
                let accounts = app.services.userAccounts(app.db)
                async let first = Result { round % 2 == 0 ? try await accounts.setRole(b, to: .user, by: a) : try await accounts.remove(b, by: a) }
                async let second = Result { try await accounts.setRole(a, to: .user, by: b) }
                let results = await [first, second]
                let refused = results.filter { if case .failure(let error as AppError) = $0 { error.code == "last_admin" } else { false } }
                #expect(refused.count == 1, "round \(round): \(results)")
                #expect(try await User.query(on: app.db).filter(\.$isAdmin == true).count() == 1, "round \(round)")
            }
        }
    }
}

extension Result where Failure == any Error {
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
