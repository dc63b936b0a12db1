import Fluent
import Vapor

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
        let links = app.services.links
        _ = try links.url("/")
        let (_, token) = try await app.services.userAccounts(app.db).invite(email: email, role: try AccountsAPIController.role(signature.role ?? "user"), by: inviter)
        context.console.print(try links.url(AccountsController.invitationPath(token)))
    }
}
