import Fluent
import Vapor

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
