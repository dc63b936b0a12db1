import EmulatorSupport
import Foundation

/// A Web API failure: `{"ok": false, "error": code, …extra}`, HTTP 200 unless said otherwise.
struct SlackError: Error, Sendable {
    let code: String
    var extra: [String: JSON] = [:]
    var status: UInt = 200
    var retryAfter: Int?

    init(_ code: String, extra: [String: JSON] = [:]) {
        self.code = code
        self.extra = extra
    }

    static func missingScope(needed: String, provided: Set<String>) -> SlackError {
        SlackError("missing_scope", extra: ["needed": .string(needed), "provided": .string(provided.sorted().joined(separator: ","))])
    }

    var body: JSON {
        var object: [String: JSON] = ["ok": false, "error": .string(code)]
        object.merge(extra) { _, new in new }
        return .object(object)
    }
}
