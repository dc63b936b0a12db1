import Foundation

/// A refresh token (token rotation): each one is used once.
struct RefreshRecord: Sendable {
    var clientID: String
    var kind: TokenRecord.Kind
    var scopes: [String]
    var userID: String
}
