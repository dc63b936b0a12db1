import Vapor

extension Request {
    /// The signed-in user, who must be an administrator: the one admin check.
    func requireAdmin() throws -> User {
        let user = try auth.require(User.self)
        guard user.isAdmin else { throw AppError.adminOnly }
        return user
    }

    /// The signed-in user.
    func requireUser() throws -> User {
        try auth.require(User.self)
    }
}
