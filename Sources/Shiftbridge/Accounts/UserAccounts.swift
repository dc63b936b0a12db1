import Crypto
import Fluent
import ShiftbridgeCore
import SQLKit
import Foundation

/// Who may sign in: administrators, and users invited by them. The one place accounts are
/// created, invited, changed and removed (the CLI, the pages, the API and the demo use it).
struct UserAccounts {
    let db: any Database
    let passwords: any PasswordHashing
    /// Token checks cached with the user they found: a role change or removal empties it.
    let tokenCache: ReadCache<AuthenticatedToken>
    let clock: any AppClock

    enum Role: String, Codable, Sendable, CaseIterable {
        case admin, user

        init(isAdmin: Bool) { self = isAdmin ? .admin : .user }
        var isAdmin: Bool { self == .admin }
    }

    /// A valid, normalised email (`EmailAddress`), or an error naming the field.
    static func email(_ raw: String, field: String = "email") throws -> String {
        guard let email = EmailAddress.validated(raw) else {
            throw AppError.invalidField(field, "\(raw.prefix(100)) is not an email address; enter one such as ops@example.com (at most \(EmailAddress.maxLength) characters)")
        }
        return email
    }

    // MARK: Creating accounts

    func createAdministrator(email rawEmail: String, password: String, actor: String) async throws -> User {
        let email = try Self.email(rawEmail)
        if let problem = PasswordPolicy.problem(with: password, email: email) { throw AppError.invalidField("password", problem) }
        let hash = try await passwords.hash(password)
        return try await db.transaction { db in
            guard try await User.query(on: db).filter(\.$email == email).first() == nil else {
                throw AppError(.conflict, code: "duplicate_email", "An account for \(email) already exists.")
            }
            let user = User(email: email, passwordHash: hash, isAdmin: true, createdAt: clock.now())
            try await user.create(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: actor, .adminCreated, .user(email: email))
            return user
        }
    }

    /// The first administrator, from the set-up page: only while nobody has an account.
    func createFirstAdministrator(email rawEmail: String, password: String) async throws -> User? {
        let email = try Self.email(rawEmail)
        if let problem = PasswordPolicy.problem(with: password, email: email) { throw AppError.invalidField("password", problem) }
        let hash = try await passwords.hash(password)
        // The transaction keeps two racing set-ups from both winning.
        return try await db.transaction { db in
            guard try await User.query(on: db).count() == 0 else { return nil }
            let user = User(email: email, passwordHash: hash, isAdmin: true, createdAt: clock.now())
            try await user.create(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: email, .adminCreated, .user(email: email), after: "first administrator, created in the browser")
            return user
        }
    }

    /// The account these credentials open, or nil.
    func verify(email rawEmail: String, password: String) async throws -> User? {
        let email = User.normalize(email: rawEmail)
        guard let user = try await User.query(on: db).filter(\.$email == email).first() else {
            // About the same time whether or not the account exists.
            _ = try? await passwords.hash(password)
            return nil
        }
        return try await passwords.verify(password, created: user.passwordHash) ? user : nil
    }

    // MARK: Invitations

    /// Invites `email` with `role`; returns the invitation and its one-time token (shown once).
    /// Inviting again replaces an earlier invitation.
    func invite(email rawEmail: String, role: Role, by actor: User) async throws -> (Invitation, String) {
        let email = try Self.email(rawEmail)
        let token = BrowserSessionMiddleware.newToken()
        return try await db.transaction { db in
            guard try await User.query(on: db).filter(\.$email == email).first() == nil else {
                throw AppError(.conflict, code: "duplicate_email", "email: \(email) already has an account")
            }
            try await Invitation.query(on: db).filter(\.$email == email).delete()
            let invitation = Invitation()
            invitation.email = email
            invitation.isAdmin = role.isAdmin
            invitation.tokenHash = BrowserSessionMiddleware.digest(token)
            invitation.invitedBy = actor.email
            invitation.createdAt = clock.now()
            invitation.expiresAt = clock.now().addingTimeInterval(Invitation.lifetime)
            try await invitation.create(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: actor.email, .userInvited, .user(email: email), after: role.rawValue)
            return (invitation, token)
        }
    }

    /// The open invitation a link carries, or nil (unknown, used or expired).
    func invitation(token: String) async throws -> Invitation? {
        try await Invitation.query(on: db).filter(\.$tokenHash == BrowserSessionMiddleware.digest(token)).filter(\.$expiresAt > clock.now()).first()
    }

    func invitations() async throws -> [Invitation] {
        try await Invitation.query(on: db).filter(\.$expiresAt > clock.now()).sort(\.$createdAt, .descending).all()
    }

    /// Creates the invited account with the password chosen; the link cannot be used again.
    func accept(token: String, password: String) async throws -> User {
        guard let invitation = try await invitation(token: token) else {
            throw AppError(.notFound, code: "invitation_expired", "This invitation is unknown, used or expired; ask an administrator for a new one.")
        }
        if let problem = PasswordPolicy.problem(with: password, email: invitation.email) { throw AppError.invalidField("password", problem) }
        let hash = try await passwords.hash(password)
        return try await db.transaction { db in
            guard let current = try await Invitation.find(invitation.requireID(), on: db) else {
                throw AppError(.conflict, code: "invitation_used", "This invitation was just used.")
            }
            try await current.delete(on: db)
            guard try await User.query(on: db).filter(\.$email == invitation.email).first() == nil else {
                throw AppError(.conflict, code: "duplicate_email", "An account for \(invitation.email) already exists; sign in instead.")
            }
            let user = User(email: invitation.email, passwordHash: hash, isAdmin: invitation.isAdmin, createdAt: clock.now())
            try await user.create(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: invitation.email, .userJoined, .user(email: invitation.email),
                                        after: "\(Role(isAdmin: invitation.isAdmin).rawValue), invited by \(invitation.invitedBy)")
            return user
        }
    }

    func revokeInvitation(_ id: UUID?, by actor: User) async throws {
        guard let id, let invitation = try await Invitation.find(id, on: db) else { throw AppError.notFound("Invitation") }
        try await db.transaction { db in
            try await invitation.delete(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: actor.email, .userInvitationRevoked, .user(email: invitation.email))
        }
    }

    // MARK: Changing and removing

    func users() async throws -> [User] {
        try await User.query(on: db).sort(\.$email).all()
    }

    func find(_ id: UUID?) async throws -> User {
        guard let id, let user = try await User.find(id, on: db) else { throw AppError.notFound("User") }
        return user
    }

    /// Changes a role; the last administrator stays one, and nobody demotes themselves. The
    /// count is taken inside the write, with the administrators' rows locked: two
    /// administrators demoting each other at once leave one.
    func setRole(_ user: User, to role: Role, by actor: User) async throws {
        guard user.isAdmin != role.isAdmin else { return }
        if !role.isAdmin, user.id == actor.id {
            throw AppError(.conflict, code: "self_demotion", "You cannot take away your own administrator role; ask another administrator.")
        }
        try await db.transaction { db in
            if !role.isAdmin { try await Self.requireAnotherAdministrator(besides: user, on: db) }
            user.isAdmin = role.isAdmin
            try await user.save(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: actor.email, .userRoleChanged, .user(email: user.email),
                                        before: Role(isAdmin: !role.isAdmin).rawValue, after: role.rawValue)
        }
        tokenCache.removeAll()
    }

    /// Removes an account: its sessions and API tokens go with it (at once on this instance).
    func remove(_ user: User, by actor: User) async throws {
        guard user.id != actor.id else { throw AppError(.conflict, code: "self_removal", "You cannot remove your own account.") }
        try await db.transaction { db in
            if user.isAdmin { try await Self.requireAnotherAdministrator(besides: user, on: db) }
            try await user.delete(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: actor.email, .userRemoved, .user(email: user.email),
                                        before: Role(isAdmin: user.isAdmin).rawValue)
        }
        tokenCache.removeAll()
    }

    /// Inside a write transaction: some administrator other than `user` stays. On
    /// PostgreSQL the administrators' rows are locked, so a concurrent demotion waits and
    /// then counts what this one left; SQLite's write transactions run one at a time.
    static func requireAnotherAdministrator(besides user: User, on db: any Database) async throws {
        let userID = try user.requireID()
        let others: Int
        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            // Every administrator's row, this one's included: two demotions then overlap and queue.
            let admins = try await sql.raw("""
                SELECT id FROM \(ident: User.schema) WHERE is_admin = true ORDER BY id FOR UPDATE
                """).all().map { try $0.decode(column: "id", as: UUID.self) }
            others = admins.filter { $0 != userID }.count
        } else {
            others = try await User.query(on: db).filter(\.$isAdmin == true).filter(\.$id != userID).count()
        }
        guard others > 0 else { throw AppError(.conflict, code: "last_admin", "\(user.email) is the last administrator.") }
    }
}
