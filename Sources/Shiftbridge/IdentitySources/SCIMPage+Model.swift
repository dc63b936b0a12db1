import Foundation

/// Settings → SCIM: where identity providers push people, and the tokens they use.
enum SCIMPage {
    struct Model {
        struct Token {
            let id: String
            let name: String
            let last4: String
            let createdBy: String
            let createdAt: Date
            let lastUsedAt: Date?
            let revokedAt: Date?
        }
        /// Nil until `SHIFTBRIDGE_PUBLIC_URL` is set.
        let baseURL: String?
        let tokens: [Token]
        let pushedUsers: Int
        /// Pushed users with no email address: kept, but not provisioned until one arrives.
        let withoutEmail: [String]
        /// A token just made: shown once.
        let newToken: (name: String, value: String)?
        let error: String?
    }
}
