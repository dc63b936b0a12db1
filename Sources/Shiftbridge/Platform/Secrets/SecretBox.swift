import Crypto
import Foundation

/// Validation and loading of the 32-byte key that seals secrets at rest.
public enum SecretKeyMaterial {
    public static func validate(_ base64: String, variable: String) throws {
        guard let data = Data(base64Encoded: base64), data.count == 32 else {
            throw AppConfig.InvalidSetting(
                name: variable,
                problem: "expected base64 of exactly 32 random bytes (for example: openssl rand -base64 32)")
        }
    }

    /// The configured key, or the one stored in `<data dir>/secret.key`, created (mode 0600)
    /// on first use so a fresh install needs no setup.
    public static func primaryKey(config: AppConfig) throws -> SymmetricKey {
        if let configured = config.secretKey, let data = Data(base64Encoded: configured) {
            return SymmetricKey(data: data)
        }
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        let path = (config.dataDirectory as NSString).appendingPathComponent("secret.key")
        if let contents = fileManager.contents(atPath: path) {
            let text = String(decoding: contents, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let data = Data(base64Encoded: text), data.count == 32 else {
                throw AppConfig.InvalidSetting(name: path, problem: "the key file is not base64 of 32 bytes; restore it from backup (sealed secrets cannot be opened without it)")
            }
            return SymmetricKey(data: data)
        }
        let key = SymmetricKey(size: .bits256)
        let encoded = key.withUnsafeBytes { Data($0).base64EncodedString() }
        guard fileManager.createFile(atPath: path, contents: Data((encoded + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw AppConfig.InvalidSetting(name: path, problem: "could not write the generated secret key; check the data directory's permissions")
        }
        return key
    }
}

/// Seals secrets (API keys, tokens, client secrets) with AES-256-GCM.
///
/// A sealed value reads `sb1.<key id>.<base64 nonce+ciphertext+tag>`; the key id lets an
/// older key open what it sealed after the primary key has been rotated.
public struct SecretBox: Sendable {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case malformed
        case unknownKey(String)
        case authenticationFailed

        public var description: String {
            switch self {
            case .malformed: "the sealed value is malformed"
            case .unknownKey(let id): "the sealed value was made with key \(id), which is not configured (set SHIFTBRIDGE_PREVIOUS_SECRET_KEYS)"
            case .authenticationFailed: "the sealed value could not be opened: wrong key or tampered data"
            }
        }
    }

    private static let prefix = "sb1"
    private let primaryID: String
    private let keys: [String: SymmetricKey]

    public init(primary: SymmetricKey, previous: [SymmetricKey] = []) {
        primaryID = Self.keyID(primary)
        var keys = [primaryID: primary]
        for key in previous { keys[Self.keyID(key)] = key }
        self.keys = keys
    }

    public var keyID: String { primaryID }

    /// A short, stable fingerprint of a key; it reveals nothing usable about the key.
    public static func keyID(_ key: SymmetricKey) -> String {
        let digest = SHA256.hash(data: key.withUnsafeBytes { Data($0) } + Data("shiftbridge-key-id".utf8))
        return digest.prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    public func seal(_ plaintext: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: keys[primaryID]!, authenticating: Data(primaryID.utf8))
        guard let combined = box.combined else { throw Failure.malformed }
        return "\(Self.prefix).\(primaryID).\(combined.base64EncodedString())"
    }

    public func open(_ sealed: String) throws -> String {
        let parts = sealed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.prefix, let data = Data(base64Encoded: String(parts[2])) else {
            throw Failure.malformed
        }
        let id = String(parts[1])
        guard let key = keys[id] else { throw Failure.unknownKey(id) }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            let plain = try AES.GCM.open(box, using: key, authenticating: Data(id.utf8))
            return String(decoding: plain, as: UTF8.self)
        } catch {
            throw Failure.authenticationFailed
        }
    }

    /// Whether a sealed value should be re-sealed under the current primary key.
    public func needsRotation(_ sealed: String) -> Bool {
        !sealed.hasPrefix("\(Self.prefix).\(primaryID).")
    }

    /// A key for another purpose (signing CSRF tokens), derived from the primary key, so
    /// every instance sharing the secret key derives the same one.
    public func derivedKey(purpose: String) -> SymmetricKey {
        SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data("shiftbridge:\(purpose)".utf8), using: keys[primaryID]!)))
    }

    /// What may be shown of a secret: its last four characters.
    public static func last4(_ secret: String) -> String { String(secret.suffix(4)) }
}
