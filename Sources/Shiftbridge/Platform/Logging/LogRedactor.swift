import Foundation

/// Takes secrets out of log text, whoever wrote it (us, Vapor, Fluent's SQL, the HTTP
/// client): credentials in headers, cookies, tokens, secret paths and query parameters,
/// form and JSON fields that carry secrets, sealed values, and request bodies.
enum LogRedactor {
    static let marker = "[redacted]"

    private static let rules: [(NSRegularExpression, String)] = [
        // Headers, as NIO prints them ("Authorization", "Bearer …") or as text (Authorization: …).
        (#"(\(\s*"(?:authorization|cookie|set-cookie|x-shiftbridge-secret|x-slack-signature|proxy-authorization)"\s*,\s*")[^"]*(")"#, "$1\(marker)$2"),
        (#"(?m)\b((?:authorization|cookie|set-cookie|x-shiftbridge-secret|x-slack-signature)\s*[:=]\s*)[^\n\]]*"#, "$1\(marker)"),
        // Credentials wherever they appear.
        (#"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"#, "$1 \(marker)"),
        (#"(?i)\b(token token=)[^\s",;]+"#, "$1\(marker)"),
        (#"\bsbt_[A-Za-z0-9_-]+"#, "sbt_\(marker)"),
        (#"\bxox[abpre]-[A-Za-z0-9-]+"#, "xox-\(marker)"),
        (#"\bsb1\.[0-9a-f]{8}\.[A-Za-z0-9+/=]+"#, "sb1.\(marker)"),
        (#"\b(shiftbridge_session|shiftbridge_csrf)=[^;\s",)]+"#, "$1=\(marker)"),
        // Paths whose last part is the secret.
        (#"(/calendar/)[^/\s"?]+"#, "$1\(marker)"),
        (#"(/invitations/)[^/\s"?]+"#, "$1\(marker)"),
        // Query and form fields, and JSON fields, that carry secrets.
        (#"(?i)([?&\s"(]|^)((?:code|state|code_verifier|client_secret|refresh_token|access_token|id_token|token|password|api_key|_csrf|secret|bot_token|user_token)=)[^&\s"]*"#, "$1$2\(marker)"),
        (#"(?i)("(?:api_key|client_secret|password|token|secret|access_token|refresh_token|id_token|bot_token|user_token|signing_secret|code_verifier)"\s*:\s*")(?:[^"\\]|\\.)*(")"#, "$1\(marker)$2"),
        // Bodies as NIO prints a ByteBuffer (`[<hex>](N bytes)`, as in Vapor's trace line
        // "Decoded HTTP part: body(…)", or its debug form): the bytes themselves go.
        (#"readable bytes \(max 1k\): \[[^\]]*\]"#, "readable bytes: \(marker)"),
        (#"\[[0-9a-f .]*\](\(\d+ bytes\))"#, "[\(marker)]$1"),
    ].map { (try! NSRegularExpression(pattern: $0.0, options: [.caseInsensitive]), $0.1) }

    static func redact(_ text: String) -> String {
        // Most lines carry nothing to redact: a cheap look first.
        guard mightHoldSecrets(text) else { return text }
        var result = text
        for (expression, template) in rules {
            result = expression.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result), withTemplate: template)
        }
        return result
    }

    private static let hints = ["uthoriz", "ookie", "ecret", "earer", "asic", "oken", "sbt_", "xox", "sb1.", "shiftbridge_", "/calendar/",
                                "/invitations/", "code", "state", "assword", "api_key", "_csrf", "readable bytes", " bytes)"]

    private static func mightHoldSecrets(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return hints.contains { lowered.contains($0.lowercased()) }
    }
}
