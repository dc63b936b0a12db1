@testable import Shiftbridge
import Vapor

/// Bcrypt at its lowest cost: the same checks, without a quarter second per hash.
struct FastPasswords: PasswordHashing {
    func hash(_ password: String) async throws -> String {
        try Bcrypt.hash(password, cost: 4)
    }

    func verify(_ password: String, created hash: String) async throws -> Bool {
        try Bcrypt.verify(password, created: hash)
    }
}
