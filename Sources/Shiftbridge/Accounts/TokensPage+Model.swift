import Foundation

/// Settings → API tokens: the viewer's tokens (every token, for administrators), a token
/// just made, and revocation.
enum TokensPage {
    struct Model {
        struct Token {
            let id: String
            let name: String
            let owner: String
            let last4: String
            let createdAt: Date?
            let lastUsedAt: Date?
        }
        let tokens: [Token]
        let showsOwners: Bool
        /// A token just issued: shown once.
        let newToken: (name: String, value: String)?
        let error: String?
    }
}
