import Fluent
import Vapor

/// `/api/v1/tokens`, `/api/v1/users` and `/api/v1/invitations` (contract).
struct AccountsAPIController {
    func boot(api: any RoutesBuilder) {
        api.get("me", use: me)
        api.patch("me", use: updateMe)
        let tokens = api.grouped("tokens")
        tokens.get(use: listTokens)
        tokens.post(use: createToken)
        tokens.delete(":id", use: revokeToken)
        let users = api.grouped("users")
        users.get(use: listUsers)
        users.patch(":id", use: updateUser)
        users.delete(":id", use: removeUser)
        let invitations = api.grouped("invitations")
        invitations.get(use: listInvitations)
        invitations.post(use: invite)
        invitations.delete(":id", use: revokeInvitation)
    }

    static func role(_ raw: String) throws -> UserAccounts.Role {
        guard let role = UserAccounts.Role(rawValue: raw) else { throw AppError.invalidField("role", "expected admin or user") }
        return role
    }

    struct Me: Content {
        let email: String
        let is_admin: Bool
        let authenticated_by: String
        /// The zone the dashboard shows times in; null: the browser's.
        let time_zone: String?
    }

    func me(req: Request) async throws -> Me {
        let user = try req.requireUser()
        return Me(email: user.email, is_admin: user.isAdmin, authenticated_by: req.auth.has(TokenAuthentication.self) ? "token" : "session",
                  time_zone: user.timeZone)
    }

    struct MeBody: Content {
        var time_zone: String?
    }

    func updateMe(req: Request) async throws -> Me {
        let user = try req.requireUser()
        try await req.services.userAccounts(req.db).setTimeZone(try req.content.decode(MeBody.self).time_zone, for: user)
        return try await me(req: req)
    }

    // MARK: Tokens

    struct TokenDTO: Content {
        let id: UUID?
        let name: String
        let owner: String
        let last4: String
        let created_at: Date?
        let last_used_at: Date?
        /// Only in the answer to POST: store it now, it is not shown again.
        var token: String?
    }

    struct TokenList: Content { let tokens: [TokenDTO] }

    func listTokens(req: Request) async throws -> TokenList {
        let viewer = try req.requireUser()
        let all = try req.queryBool("all") ?? false
        return TokenList(tokens: try await req.services.apiTokens(req.db).list(for: viewer, all: all).map {
            TokenDTO(id: $0.id, name: $0.name, owner: $0.user.email, last4: $0.last4, created_at: $0.createdAt, last_used_at: $0.lastUsedAt)
        })
    }

    struct TokenBody: Content { var name: String }

    func createToken(req: Request) async throws -> Response {
        let viewer = try req.requireUser()
        let body = try req.content.decode(TokenBody.self)
        let (token, value) = try await req.services.apiTokens(req.db).issue(for: viewer, name: body.name, actor: viewer.email)
        let response = try await TokenDTO(id: token.id, name: token.name, owner: viewer.email, last4: token.last4, created_at: token.createdAt,
                                          last_used_at: nil, token: value).encodeResponse(for: req)
        response.status = .created
        return response
    }

    func revokeToken(req: Request) async throws -> HTTPStatus {
        try await req.services.apiTokens(req.db).revoke(req.parameters.get("id", as: UUID.self), by: try req.requireUser())
        return .noContent
    }

    // MARK: Users

    struct UserDTO: Content {
        let id: UUID?
        let email: String
        let role: String
        let created_at: Date?
    }

    struct UserList: Content { let users: [UserDTO] }

    func listUsers(req: Request) async throws -> UserList {
        _ = try req.requireAdmin()
        return UserList(users: try await req.services.userAccounts(req.db).users().map(Self.dto))
    }

    struct UserPatch: Content { var role: String? }

    func updateUser(req: Request) async throws -> UserDTO {
        let viewer = try req.requireAdmin()
        let accounts = req.services.userAccounts(req.db)
        let user = try await accounts.find(req.parameters.get("id", as: UUID.self))
        if let role = try req.content.decode(UserPatch.self).role {
            try await accounts.setRole(user, to: try Self.role(role), by: viewer)
        }
        return Self.dto(user)
    }

    func removeUser(req: Request) async throws -> HTTPStatus {
        let viewer = try req.requireAdmin()
        let accounts = req.services.userAccounts(req.db)
        try await accounts.remove(try await accounts.find(req.parameters.get("id", as: UUID.self)), by: viewer)
        return .noContent
    }

    static func dto(_ user: User) -> UserDTO {
        UserDTO(id: user.id, email: user.email, role: UserAccounts.Role(isAdmin: user.isAdmin).rawValue, created_at: user.createdAt)
    }

    // MARK: Invitations

    struct InvitationDTO: Content {
        let id: UUID?
        let email: String
        let role: String
        let invited_by: String
        let expires_at: Date
        /// Only in the answer to POST: the one-time link, not shown again.
        var url: String?
    }

    struct InvitationList: Content { let invitations: [InvitationDTO] }

    func listInvitations(req: Request) async throws -> InvitationList {
        _ = try req.requireAdmin()
        return InvitationList(invitations: try await req.services.userAccounts(req.db).invitations().map { Self.dto($0, url: nil) })
    }

    struct InvitationBody: Content {
        var email: String
        var role: String?
    }

    func invite(req: Request) async throws -> Response {
        let viewer = try req.requireAdmin()
        let body = try req.content.decode(InvitationBody.self)
        let links = req.services.links
        _ = try links.url("/")
        let (invitation, token) = try await req.services.userAccounts(req.db).invite(email: body.email, role: try Self.role(body.role ?? "user"), by: viewer)
        let response = try await Self.dto(invitation, url: try links.url(AccountsController.invitationPath(token))).encodeResponse(for: req)
        response.status = .created
        return response
    }

    func revokeInvitation(req: Request) async throws -> HTTPStatus {
        try await req.services.userAccounts(req.db).revokeInvitation(req.parameters.get("id", as: UUID.self), by: try req.requireAdmin())
        return .noContent
    }

    static func dto(_ invitation: Invitation, url: String?) -> InvitationDTO {
        InvitationDTO(id: invitation.id, email: invitation.email, role: UserAccounts.Role(isAdmin: invitation.isAdmin).rawValue,
                      invited_by: invitation.invitedBy, expires_at: invitation.expiresAt, url: url)
    }
}
