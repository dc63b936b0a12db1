import Fluent
import Vapor

/// `shiftbridge admin create|token|tokens|invite`.
struct AdminCommand: AsyncCommandGroup {
    var help: String { "Manage administrators, users and API tokens" }
    var commands: [String: any AnyAsyncCommand] {
        ["create": CreateAdminCommand(), "token": CreateTokenCommand(), "tokens": TokensCommand(), "invite": InviteCommand()]
    }
}
