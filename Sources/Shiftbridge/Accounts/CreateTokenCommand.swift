import Fluent
import Vapor

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
        let (_, token) = try await app.services.apiTokens(app.db).issue(for: user, name: name, actor: "cli")
        context.console.output(token.consoleText())
    }
}
