import Fluent
import Vapor

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
        try await app.services.apiTokens(app.db).revoke(id, by: token.user)
        context.console.print("Revoked the token '\(token.name)' of \(token.user.email).")
    }
}
