import Vapor

/// `shiftbridge migrate`: `configure` already brought the schema up to date; this reports it
/// without asking for confirmation, so it can run from deploy scripts.
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Run database migrations (they also run when the server starts)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        context.console.print("Migrations are up to date on \(context.application.services.config.storage.kind).")
    }
}
