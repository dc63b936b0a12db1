import Fluent
import Vapor

/// Sign-in, sign-out, and the first-run page that exists only while no administrator does.
struct AuthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("sign-in", use: signInPage).publicAccess()
        routes.post("sign-in", use: signIn).publicAccess()
        routes.get("setup", use: setupPage).publicAccess()
        routes.post("setup", use: setup).publicAccess()
    }

    /// Sign-out needs a session, so it is registered with the protected pages.
    func bootProtected(routes: any RoutesBuilder) {
        routes.post("sign-out", use: signOut)
    }

    struct Credentials: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    func signInPage(req: Request) async throws -> Response {
        if try await User.query(on: req.db).count() == 0 { return req.redirectFound(to: "/setup") }
        if req.auth.has(User.self) { return req.redirect(to: "/") }
        let next = req.query[String.self, at: "next"].flatMap(Self.safeNext)
        return render(req, AuthPage.Model(kind: .signIn, next: next), title: "Sign in")
    }

    func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(Credentials.self)
        let email = User.normalize(email: form.email ?? "")
        let next = form.next.flatMap(Self.safeNext)
        let keys = ["ip:\(req.remoteAddress?.ipAddress ?? "unknown")", "email:\(email)"]
        if let wait = await req.application.loginLimiter.retryAfter(keys: keys) {
            let response = render(req, AuthPage.Model(kind: .signIn, email: email, next: next,
                error: "Too many sign-in attempts. Wait \(wait) seconds, then try again."), title: "Sign in", status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: "\(wait)")
            return response
        }
        guard let user = try await User.query(on: req.db).filter(\.$email == email).first(),
              let password = form.password,
              try await req.password.async.verify(password, created: user.passwordHash)
        else {
            await req.application.loginLimiter.recordFailure(keys: keys)
            req.logger.notice("sign-in failed", metadata: ["email": "\(email)"])
            return render(req, AuthPage.Model(kind: .signIn, email: email, next: next,
                error: "That email and password do not match an account."), title: "Sign in", status: .unauthorized)
        }
        await req.application.loginLimiter.reset(keys: ["email:\(email)"])
        req.auth.login(user)
        // A new CSRF token for the signed-in session.
        req.session.data["csrf"] = nil
        return req.redirect(to: next ?? "/")
    }

    func signOut(req: Request) async throws -> Response {
        req.auth.logout(User.self)
        req.session.destroy()
        return req.redirect(to: "/sign-in")
    }

    func setupPage(req: Request) async throws -> Response {
        guard try await User.query(on: req.db).count() == 0 else { return req.redirectFound(to: "/sign-in") }
        return render(req, AuthPage.Model(kind: .setup), title: "Set up")
    }

    func setup(req: Request) async throws -> Response {
        let form = try req.content.decode(Credentials.self)
        let email = User.normalize(email: form.email ?? "")
        let password = form.password ?? ""
        if let problem = AdminAccounts.problem(email: email, password: password) {
            return render(req, AuthPage.Model(kind: .setup, email: email, error: problem), title: "Set up", status: .unprocessableEntity)
        }
        let hash = try await req.password.async.hash(password)
        // Only while no administrator exists; the transaction keeps two racing set-ups from both winning.
        let created: User? = try await req.db.transaction { db in
            guard try await User.query(on: db).count() == 0 else { return nil }
            let user = User(email: email, passwordHash: hash)
            try await user.create(on: db)
            try await AuditEvent.record(on: db, actor: email, action: "admin.created", target: "user:\(email)", after: "first administrator, created in the browser")
            return user
        }
        guard let created else { return req.redirectFound(to: "/sign-in") }
        req.auth.login(created)
        req.session.data["csrf"] = nil
        req.flash(.success, "Welcome! Next, connect PagerDuty under Settings → Integrations.")
        return req.redirect(to: "/")
    }

    private func render(_ req: Request, _ model: AuthPage.Model, title: String, status: HTTPResponseStatus = .ok) -> Response {
        HTMLResponse.make(status: status, html: AuthPage.render(model, context: req.pageContext(title: title)))
    }

    /// Only same-site paths are followed after sign-in, so the page cannot be used as an open redirect.
    static func safeNext(_ next: String) -> String? {
        guard next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\") else { return nil }
        return next
    }
}

/// Creating administrators and their API tokens: shared by the CLI, the first-run page and the demo.
enum AdminAccounts {
    static func problem(email: String, password: String) -> String? {
        let parts = email.split(separator: "@")
        if parts.count != 2 || parts[1].contains(".") == false || email.count > 254 {
            return "Enter a valid email address, such as ops@example.com."
        }
        return PasswordPolicy.problem(with: password)
    }

    enum Failure: Error, CustomStringConvertible {
        case invalid(String)
        case exists(String)
        case unknownUser(String)

        var description: String {
            switch self {
            case .invalid(let message): message
            case .exists(let email): "An account for \(email) already exists."
            case .unknownUser(let email): "No account for \(email); create it with 'shiftbridge admin create --email \(email) --password …'."
            }
        }
    }

    static func create(email rawEmail: String, password: String, actor: String, app: Application) async throws -> User {
        let email = User.normalize(email: rawEmail)
        if let problem = problem(email: email, password: password) { throw Failure.invalid(problem) }
        let hash = try await app.password.async.hash(password)
        return try await app.db.transaction { db in
            guard try await User.query(on: db).filter(\.$email == email).first() == nil else { throw Failure.exists(email) }
            let user = User(email: email, passwordHash: hash)
            try await user.create(on: db)
            try await AuditEvent.record(on: db, actor: actor, action: "admin.created", target: "user:\(email)")
            return user
        }
    }

    /// Returns the token in clear exactly once; only its digest is kept.
    static func issueToken(email rawEmail: String, name: String, actor: String, app: Application) async throws -> String {
        let email = User.normalize(email: rawEmail)
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw Failure.invalid("Give the token a --name that says what uses it, such as 'grafana'.") }
        return try await app.db.transaction { db in
            guard let user = try await User.query(on: db).filter(\.$email == email).first(), let userID = user.id else {
                throw Failure.unknownUser(email)
            }
            let token = APIToken.generate()
            try await APIToken(userID: userID, name: name, token: token).create(on: db)
            try await AuditEvent.record(on: db, actor: actor, action: "api_token.created", target: "user:\(email)", after: "token '\(name)' ending \(SecretBox.last4(token))")
            return token
        }
    }
}
