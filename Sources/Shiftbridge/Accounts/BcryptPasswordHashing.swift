import Vapor

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
