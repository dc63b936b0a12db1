import EmulatorSupport
import Foundation

/// One Web API call as a handler sees it: the arguments (query, form or JSON, as strings)
/// and who is calling.
struct MethodCall: Sendable {
    var arguments: [String: String]
    var token: TokenRecord?
    /// HTTP Basic credentials, which `oauth.v2.access` accepts for the client.
    var basicAuth: (user: String, password: String)?

    subscript(_ name: String) -> String? { arguments[name].flatMap { $0.isEmpty ? nil : $0 } }

    func bool(_ name: String) -> Bool { arguments[name].map { $0 == "true" || $0 == "1" } ?? false }

    func require(_ name: String) throws(SlackError) -> String {
        guard let value = self[name] else { throw SlackError("invalid_arguments", extra: ["response_metadata": ["messages": .array([.string("[ERROR] missing required field: \(name)")])]]) }
        return value
    }

    /// The caller's user id; every method but `oauth.v2.access` has a token.
    var caller: String { token?.userID ?? "" }

    func requireScope(_ scope: String) throws(SlackError) {
        guard let token else { return }
        guard token.scopes.contains(scope) else { throw .missingScope(needed: scope, provided: token.scopes) }
    }
}
