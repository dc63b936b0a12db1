import Fluent
import Vapor

/// Settings → Users (administrators) and Settings → API tokens (everyone), in the dashboard.
struct AccountsController {
    func boot(pages: any RoutesBuilder) {
        pages.get("settings", use: settings)
        let users = pages.grouped("settings", "users")
        users.get(use: usersPage)
        users.post("invitations", use: invite)
        users.post("invitations", ":invitation", "revoke", use: revokeInvitation)
        users.post(":user", "role", use: setRole)
        users.post(":user", "remove", use: remove)
        let tokens = pages.grouped("settings", "tokens")
        tokens.get(use: tokensPage)
        tokens.post(use: createToken)
        tokens.post(":token", "revoke", use: revokeToken)
    }

    /// Settings opens on the first tab this person may use.
    func settings(req: Request) async throws -> Response {
        req.redirect(to: SettingsTab.first(isAdmin: try req.requireUser().isAdmin).path)
    }

    // MARK: Users

    func usersPage(req: Request) async throws -> Response {
        try await renderUsers(req, newLink: nil, error: nil)
    }

    private func renderUsers(_ req: Request, newLink: (String, String)?, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let viewer = try req.requireAdmin()
        let accounts = req.services.userAccounts(req.db)
        let model = UsersPage.Model(
            accounts: try await accounts.users().map {
                .init(id: try $0.requireID().uuidString, email: $0.email, role: .init(isAdmin: $0.isAdmin), createdAt: $0.createdAt, isViewer: $0.id == viewer.id)
            },
            invitations: try await accounts.invitations().map {
                .init(id: try $0.requireID().uuidString, email: $0.email, role: .init(isAdmin: $0.isAdmin), invitedBy: $0.invitedBy, expiresAt: $0.expiresAt)
            },
            newLink: newLink, error: error)
        return HTMLResponse.make(status: status, html: UsersPage.render(model, context: req.pageContext(title: "Users", section: .settings)))
    }

    struct InviteForm: Content {
        var email: String?
        var role: String?
    }

    func invite(req: Request) async throws -> Response {
        let viewer = try req.requireAdmin()
        let form = try req.content.decode(InviteForm.self)
        do {
            let role = try AccountsAPIController.role(form.role ?? "user")
            let links = req.services.links
            _ = try links.url("/")
            let (invitation, token) = try await req.services.userAccounts(req.db).invite(email: form.email ?? "", role: role, by: viewer)
            return try await renderUsers(req, newLink: (invitation.email, try links.url(Self.invitationPath(token))), error: nil, status: .created)
        } catch let error as AppError {
            return try await renderUsers(req, newLink: nil, error: error.message, status: error.kind.httpStatus)
        }
    }

    func revokeInvitation(req: Request) async throws -> Response {
        let viewer = try req.requireAdmin()
        try await req.services.userAccounts(req.db).revokeInvitation(req.parameters.get("invitation", as: UUID.self), by: viewer)
        req.flash(.success, "Invitation revoked.")
        return req.redirect(to: SettingsTab.users.path)
    }

    struct RoleForm: Content { var role: String? }

    func setRole(req: Request) async throws -> Response {
        let viewer = try req.requireAdmin()
        let accounts = req.services.userAccounts(req.db)
        do {
            let user = try await accounts.find(req.parameters.get("user", as: UUID.self))
            let role = try AccountsAPIController.role(try req.content.decode(RoleForm.self).role ?? "")
            try await accounts.setRole(user, to: role, by: viewer)
            req.flash(.success, "\(user.email) is now \(role == .admin ? "an administrator" : "a user").")
        } catch let error as AppError {
            req.flash(.error, error.message)
        }
        return req.redirect(to: SettingsTab.users.path)
    }

    func remove(req: Request) async throws -> Response {
        let viewer = try req.requireAdmin()
        let accounts = req.services.userAccounts(req.db)
        do {
            let user = try await accounts.find(req.parameters.get("user", as: UUID.self))
            try await accounts.remove(user, by: viewer)
            req.flash(.success, "Removed \(user.email).")
        } catch let error as AppError {
            req.flash(.error, error.message)
        }
        return req.redirect(to: SettingsTab.users.path)
    }

    static func invitationPath(_ token: String) -> String { "/invitations/\(token)" }

    // MARK: API tokens

    func tokensPage(req: Request) async throws -> Response {
        try await renderTokens(req, newToken: nil, error: nil)
    }

    private func renderTokens(_ req: Request, newToken: (String, String)?, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let viewer = try req.auth.require(User.self)
        let tokens = try await req.services.apiTokens(req.db).list(for: viewer, all: viewer.isAdmin)
        let model = TokensPage.Model(
            tokens: try tokens.map {
                .init(id: try $0.requireID().uuidString, name: $0.name, owner: $0.user.email, last4: $0.last4, createdAt: $0.createdAt, lastUsedAt: $0.lastUsedAt)
            },
            showsOwners: viewer.isAdmin, newToken: newToken, error: error)
        return HTMLResponse.make(status: status, html: TokensPage.render(model, context: req.pageContext(title: "API tokens", section: .settings)))
    }

    struct TokenForm: Content { var name: String? }

    func createToken(req: Request) async throws -> Response {
        let viewer = try req.auth.require(User.self)
        let form = try req.content.decode(TokenForm.self)
        do {
            let (token, value) = try await req.services.apiTokens(req.db).issue(for: viewer, name: form.name ?? "", actor: viewer.email)
            return try await renderTokens(req, newToken: (token.name, value), error: nil, status: .created)
        } catch let error as AppError {
            return try await renderTokens(req, newToken: nil, error: error.message, status: error.kind.httpStatus)
        }
    }

    func revokeToken(req: Request) async throws -> Response {
        let viewer = try req.auth.require(User.self)
        try await req.services.apiTokens(req.db).revoke(req.parameters.get("token", as: UUID.self), by: viewer)
        req.flash(.success, "Token revoked.")
        return req.redirect(to: SettingsTab.tokens.path)
    }
}
