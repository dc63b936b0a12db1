import Crypto
import Foundation

/// Slack's request signing (v0): `v0=` + hex HMAC-SHA256 over `v0:<timestamp>:<raw body>`
/// with the app's signing secret. Requests more than five minutes away are refused.
enum SlackRequestSignature {
    static let window: TimeInterval = 300

    static func sign(secret: String, timestamp: String, body: Data) -> String {
        var message = Data("v0:\(timestamp):".utf8)
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "v0=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func isValid(secret: String, timestamp: String?, signature: String?, body: Data, now: Date) -> Bool {
        guard let timestamp, let signature, let seconds = TimeInterval(timestamp), abs(now.timeIntervalSince1970 - seconds) <= window else { return false }
        let expected = Array(sign(secret: secret, timestamp: timestamp, body: body).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        // Constant time: every byte is compared whatever the first difference.
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
