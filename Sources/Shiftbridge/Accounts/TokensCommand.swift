import Fluent
import Vapor

/// `shiftbridge admin tokens list [--email E]` and `shiftbridge admin tokens revoke ID`.
struct TokensCommand: AsyncCommandGroup {
    var help: String { "List API tokens (name, account, last use) or revoke one" }
    var commands: [String: any AnyAsyncCommand] { ["list": ListTokensCommand(), "revoke": RevokeTokenCommand()] }
}
