import Vapor

/// Hashing and checking passwords (Bcrypt, off the event loops); behind a protocol so tests
/// and benchmarks may use a cheaper cost.
protocol PasswordHashing: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, created hash: String) async throws -> Bool
}

/// Vapor's Bcrypt on its thread pool.
struct BcryptPasswordHashing: PasswordHashing {
    let hasher: AsyncPasswordHasher

    func hash(_ password: String) async throws -> String {
        try await hasher.hash(password)
    }

    func verify(_ password: String, created hash: String) async throws -> Bool {
        try await hasher.verify(password, created: hash)
    }
}
