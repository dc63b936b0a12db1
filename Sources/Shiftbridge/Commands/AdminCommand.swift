import Fluent
import Vapor

/// `shiftbridge admin create|token|tokens|invite`.
struct AdminCommand: AsyncCommandGroup {
    var help: String { "Manage administrators, users and API tokens" }
    var commands: [String: any AnyAsyncCommand] {
        ["create": CreateAdminCommand(), "token": CreateTokenCommand(), "tokens": TokensCommand(), "invite": InviteCommand()]
    }
}

struct CreateAdminCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "The administrator's email address") var email: String?
        @Option(name: "password", help: "At least 12 characters") var password: String?
    }

    var help: String { "Create an administrator account" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let email = signature.email, let password = signature.password else {
            throw AppError.usage("Usage: shiftbridge admin create --email ops@example.com --password '<at least 12 characters>'")
        }
        let user = try await context.application.userAccounts.createAdministrator(email: email, password: password, actor: "cli")
        context.console.print("Created administrator \(user.email).")
    }
}

struct CreateTokenCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "Whose token it is") var email: String?
        @Option(name: "name", help: "What uses the token, e.g. 'grafana'") var name: String?
    }

    var help: String { "Print a new API token for /api/v1 (shown once; only its digest is stored)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let email = signature.email, let name = signature.name else {
            throw AppError.usage("Usage: shiftbridge admin token --email ops@example.com --name grafana")
        }
        let app = context.application
        guard let user = try await User.query(on: app.db).filter(\.$email == User.normalize(email: email)).first() else {
            throw AppError(.notFound, code: "unknown_user", "No account for \(email); create it with 'shiftbridge admin create --email \(email) --password …'.")
        }
        let (_, token) = try await app.apiTokens.issue(for: user, name: name, actor: "cli")
        context.console.output(token.consoleText())
    }
}

/// `shiftbridge admin tokens list [--email E]` and `shiftbridge admin tokens revoke ID`.
struct TokensCommand: AsyncCommandGroup {
    var help: String { "List API tokens (name, account, last use) or revoke one" }
    var commands: [String: any AnyAsyncCommand] { ["list": ListTokensCommand(), "revoke": RevokeTokenCommand()] }
}

struct ListTokensCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "Only this account's tokens") var email: String?
    }

    var help: String { "List API tokens: id, name, account, last four characters, last use" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        var query = APIToken.query(on: app.db).with(\.$user).sort(\.$createdAt, .descending)
        if let email = signature.email {
            query = query.join(User.self, on: \APIToken.$user.$id == \User.$id).filter(User.self, \.$email == User.normalize(email: email))
        }
        let tokens = try await query.all()
        if tokens.isEmpty { context.console.print("No API tokens.") }
        for token in tokens {
            context.console.print("\(token.id?.uuidString ?? "-")  \(token.name)  \(token.user.email)  …\(token.last4)  created \(token.createdAt?.displayString ?? "—")  last used \(token.lastUsedAt?.displayString ?? "never")")
        }
    }
}

struct RevokeTokenCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "id", help: "The token's id, from 'shiftbridge admin tokens list'") var id: String
    }

    var help: String { "Revoke an API token: it stops working at once" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let id = UUID(uuidString: signature.id) else {
            throw AppError.usage("Usage: shiftbridge admin tokens revoke <id> (ids from 'shiftbridge admin tokens list')")
        }
        guard let token = try await APIToken.query(on: app.db).filter(\.$id == id).with(\.$user).first() else { throw AppError.notFound("API token \(signature.id)") }
        try await app.apiTokens.revoke(id, by: token.user)
        context.console.print("Revoked the token '\(token.name)' of \(token.user.email).")
    }
}

/// `shiftbridge admin invite --email E [--role user|admin]`: prints a one-time sign-up link.
struct InviteCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "Who to invite") var email: String?
        @Option(name: "role", help: "user (default) or admin") var role: String?
        @Option(name: "by", help: "The administrator inviting (default: the first one)") var by: String?
    }

    var help: String { "Create an invitation link (valid for 7 days, shown once)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let email = signature.email else { throw AppError.usage("Usage: shiftbridge admin invite --email ann@example.com [--role user|admin]") }
        let app = context.application
        var admins = User.query(on: app.db).filter(\.$isAdmin == true).sort(\.$createdAt)
        if let by = signature.by { admins = admins.filter(\.$email == User.normalize(email: by)) }
        guard let inviter = try await admins.first() else { throw AppError.usage("No administrator to invite on behalf of; create one with 'shiftbridge admin create'.") }
        let (_, token) = try await app.userAccounts.invite(email: email, role: try AccountsAPIController.role(signature.role ?? "user"), by: inviter)
        let base = app.appConfig.publicURL ?? "http://127.0.0.1:8080"
        context.console.print("\(base)/invitations/\(token)")
    }
}
