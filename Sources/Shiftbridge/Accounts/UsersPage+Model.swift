import Foundation

/// Settings → Users: who may sign in, open invitations, and a link just made.
enum UsersPage {
    struct Model {
        struct Account {
            let id: String
            let email: String
            let role: UserAccounts.Role
            let createdAt: Date?
            let isViewer: Bool
        }
        struct Pending {
            let id: String
            let email: String
            let role: UserAccounts.Role
            let invitedBy: String
            let expiresAt: Date
        }
        let accounts: [Account]
        let invitations: [Pending]
        /// The link of the invitation just made: shown once.
        let newLink: (email: String, url: String)?
        let error: String?
    }
}
