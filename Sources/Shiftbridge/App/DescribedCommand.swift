import Vapor

/// A command the executable runs before the app exists (the demo, the emulators), listed by
/// `--help` with what it does.
struct DescribedCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    let help: String

    func run(using context: CommandContext, signature: Signature) async throws {
        context.console.output("\(help)")
    }
}
