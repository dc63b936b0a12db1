import Crypto
import Foundation
@testable import Shiftbridge
import Testing

@Suite struct SecretBoxTests {
    let secret = "u+abcdefghijklmnopqrstuvwxyz-1234"

    @Test func roundTrip() throws {
        let box = SecretBox(primary: SymmetricKey(size: .bits256))
        let sealed = try box.seal(secret)
        #expect(!sealed.contains(secret))
        #expect(sealed.hasPrefix("sb1.\(box.keyID)."))
        #expect(try box.open(sealed) == secret)
        // A fresh nonce every time: equal secrets do not produce equal ciphertexts.
        #expect(try box.seal(secret) != sealed)
    }

    @Test func wrongKeyFails() throws {
        let sealed = try SecretBox(primary: SymmetricKey(size: .bits256)).seal(secret)
        let other = SecretBox(primary: SymmetricKey(size: .bits256))
        #expect(throws: SecretBox.Failure.unknownKey(String(sealed.split(separator: ".")[1]))) {
            try other.open(sealed)
        }
    }

    @Test func tamperedCiphertextFails() throws {
        let box = SecretBox(primary: SymmetricKey(size: .bits256))
        let sealed = try box.seal(secret)
        var parts = sealed.split(separator: ".").map(String.init)
        var bytes = [UInt8](Data(base64Encoded: parts[2])!)
        bytes[bytes.count / 2] ^= 0x01
        parts[2] = Data(bytes).base64EncodedString()
        #expect(throws: SecretBox.Failure.authenticationFailed) { try box.open(parts.joined(separator: ".")) }
        #expect(throws: SecretBox.Failure.malformed) { try box.open("not sealed") }
    }

    @Test func keyIDIsBoundToTheCiphertext() throws {
        // Relabelling a value as another configured key's fails authentication.
        let old = SymmetricKey(size: .bits256)
        let new = SymmetricKey(size: .bits256)
        let box = SecretBox(primary: new, previous: [old])
        let sealed = try box.seal(secret)
        let relabelled = sealed.replacingOccurrences(of: SecretBox.keyID(new), with: SecretBox.keyID(old))
        #expect(throws: SecretBox.Failure.authenticationFailed) { try box.open(relabelled) }
    }

    @Test func rotatedKeyStillOpensOldValues() throws {
        let old = SymmetricKey(size: .bits256)
        let sealedWithOld = try SecretBox(primary: old).seal(secret)
        let rotated = SecretBox(primary: SymmetricKey(size: .bits256), previous: [old])
        #expect(try rotated.open(sealedWithOld) == secret)
        #expect(rotated.needsRotation(sealedWithOld))
        #expect(!rotated.needsRotation(try rotated.seal(secret)))
    }

    @Test func generatedKeyFileIsPrivateAndReused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-key-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = try AppConfig.load(environment: ["SHIFTBRIDGE_DATA_DIR": directory])
        let first = try SecretKeyMaterial.primaryKey(config: config)
        let path = directory + "/secret.key"
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let second = try SecretKeyMaterial.primaryKey(config: config)
        #expect(SecretBox.keyID(first) == SecretBox.keyID(second))
    }

    @Test func configuredKeyWinsOverTheFile() throws {
        let raw = Data((0..<32).map { UInt8($0) })
        let config = try AppConfig.load(environment: ["SHIFTBRIDGE_SECRET_KEY": raw.base64EncodedString(), "SHIFTBRIDGE_DATA_DIR": "/nonexistent-dir"])
        let key = try SecretKeyMaterial.primaryKey(config: config)
        #expect(key.withUnsafeBytes { Data($0) } == raw)
    }

    @Test func last4ShowsOnlyTheEnd() {
        #expect(SecretBox.last4("u+secretvalue9876") == "9876")
        #expect(SecretBox.last4("ab") == "ab")
    }
}
