import Vapor

/// `shiftbridge admin create|token`.
struct AdminCommand: AsyncCommandGroup {
    var help: String { "Manage administrators and their API tokens" }
    var commands: [String: any AnyAsyncCommand] {
        ["create": CreateAdminCommand(), "token": CreateTokenCommand()]
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
            throw AdminAccounts.Failure.invalid("Usage: shiftbridge admin create --email ops@example.com --password '<at least 12 characters>'")
        }
        let user = try await AdminAccounts.create(email: email, password: password, actor: "cli", app: context.application)
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
            throw AdminAccounts.Failure.invalid("Usage: shiftbridge admin token --email ops@example.com --name grafana")
        }
        let token = try await AdminAccounts.issueToken(email: email, name: name, actor: "cli", app: context.application)
        context.console.output(token.consoleText())
    }
}

/// `shiftbridge migrate`: `configure` already brought the schema up to date; this reports it
/// without asking for confirmation, so it can run from deploy scripts.
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Run database migrations (they also run when the server starts)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        context.console.print("Migrations are up to date on \(context.application.appConfig.storage.kind).")
    }
}
