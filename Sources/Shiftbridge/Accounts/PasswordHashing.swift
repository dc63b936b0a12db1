import Vapor

/// Hashing and checking passwords (Bcrypt, off the event loops); behind a protocol so tests
/// and benchmarks may use a cheaper cost.
package protocol PasswordHashing: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, created hash: String) async throws -> Bool
}
