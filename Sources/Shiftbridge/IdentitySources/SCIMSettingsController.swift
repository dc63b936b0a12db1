import Fluent
import Vapor

/// Settings → SCIM in the dashboard, and `/api/v1/scim/tokens` (administrators).
struct SCIMSettingsController {
    func boot(pages: any RoutesBuilder, api: any RoutesBuilder) {
        let settings = pages.grouped("settings", "scim")
        settings.get(use: page)
        settings.post("tokens", use: createFromForm)
        settings.post("tokens", ":token", "revoke", use: revokeFromForm)

        let tokens = api.grouped("scim", "tokens")
        tokens.get(use: list)
        tokens.post(use: create)
        tokens.delete(":token", use: revoke)
    }

    struct TokenForm: Content { var name: String? }

    struct TokenDTO: Content {
        let id: UUID
        let name: String
        let last4: String
        let created_by: String
        let created_at: Date
        let last_used_at: Date?
        let revoked_at: Date?
        /// Only in the answer that made it.
        var token: String?
    }

    static func dto(_ token: SCIMToken, value: String? = nil) throws -> TokenDTO {
        TokenDTO(id: try token.requireID(), name: token.name, last4: token.last4, created_by: token.createdBy, created_at: token.createdAt,
                 last_used_at: token.lastUsedAt, revoked_at: token.revokedAt, token: value)
    }

    func page(req: Request) async throws -> Response {
        try await render(req, newToken: nil, error: nil)
    }

    private func render(_ req: Request, newToken: (String, String)?, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        _ = try req.requireAdmin()
        let tokens = try await req.services.scimTokens(req.db).list()
        let model = SCIMPage.Model(
            baseURL: req.services.links.shown(SCIMTokens.basePath),
            tokens: try tokens.map {
                .init(id: try $0.requireID().uuidString, name: $0.name, last4: $0.last4, createdBy: $0.createdBy, createdAt: $0.createdAt,
                      lastUsedAt: $0.lastUsedAt, revokedAt: $0.revokedAt)
            },
            pushedUsers: try await SCIMUser.query(on: req.db).count(),
            withoutEmail: try await SCIMUser.query(on: req.db).all().filter { $0.document.email == nil }.map { $0.document.userName ?? "" },
            newToken: newToken, error: error)
        return HTMLResponse.make(status: status, html: SCIMPage.render(model, context: req.pageContext(title: "SCIM", section: .settings)))
    }

    func createFromForm(req: Request) async throws -> Response {
        let admin = try req.requireAdmin()
        let form = try req.content.decode(TokenForm.self)
        do {
            let (token, value) = try await req.services.scimTokens(req.db).create(name: form.name ?? "", actor: admin.email)
            return try await render(req, newToken: (token.name, value), error: nil, status: .created)
        } catch let error as AppError {
            return try await render(req, newToken: nil, error: error.message, status: error.kind.httpStatus)
        }
    }

    func revokeFromForm(req: Request) async throws -> Response {
        let admin = try req.requireAdmin()
        try await req.services.scimTokens(req.db).revoke(req.parameters.get("token", as: UUID.self), actor: admin.email)
        req.flash(.success, "SCIM token revoked.")
        return req.redirect(to: SettingsTab.scim.path)
    }

    struct TokenList: Content { let tokens: [TokenDTO] }

    func list(req: Request) async throws -> TokenList {
        _ = try req.requireAdmin()
        return TokenList(tokens: try await req.services.scimTokens(req.db).list().map { try Self.dto($0) })
    }

    func create(req: Request) async throws -> Response {
        let admin = try req.requireAdmin()
        let form = try req.content.decode(TokenForm.self)
        let (token, value) = try await req.services.scimTokens(req.db).create(name: form.name ?? "", actor: admin.email)
        return try await Self.dto(token, value: value).encodeResponse(status: .created, for: req)
    }

    func revoke(req: Request) async throws -> HTTPStatus {
        let admin = try req.requireAdmin()
        try await req.services.scimTokens(req.db).revoke(req.parameters.get("token", as: UUID.self), actor: admin.email)
        return .noContent
    }
}
