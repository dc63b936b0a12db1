import Fluent
import Vapor

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
        let user = try await context.application.services.userAccounts(context.application.db).createAdministrator(email: email, password: password, actor: "cli")
        context.console.print("Created administrator \(user.email).")
    }
}
