import Fluent
import Vapor

/// Sign-in and sign-out, the first-run page that exists only while nobody has an account,
/// and the page an invitation link opens.
struct SignInController {
    func boot(open: any RoutesBuilder, pages: any RoutesBuilder) {
        open.get("sign-in", use: signInPage).publicAccess()
        open.post("sign-in", use: signIn).publicAccess()
        open.get("setup", use: setupPage).publicAccess()
        open.post("setup", use: setup).publicAccess()
        open.get("invitations", ":token", use: invitationPage).publicAccess()
        open.post("invitations", ":token", use: acceptInvitation).publicAccess()
        pages.post("sign-out", use: signOut)
    }

    struct Credentials: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    func signInPage(req: Request) async throws -> Response {
        if try await User.query(on: req.db).count() == 0 { return req.redirectFound(to: "/setup") }
        if req.auth.has(User.self) { return req.redirect(to: "/") }
        let next = SafeRedirect.path(req.query[String.self, at: "next"])
        return render(req, AuthPage.Model(kind: .signIn, next: next), title: "Sign in")
    }

    func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(Credentials.self)
        let email = User.normalize(email: form.email ?? "")
        let next = SafeRedirect.path(form.next)
        let address = req.remoteAddress?.ipAddress ?? "unknown"
        let throttle = req.services.signInThrottle
        let now = req.services.clock.now()
        if let wait = await throttle.retryAfter(email: email, address: address, now: now) {
            let response = render(req, AuthPage.Model(kind: .signIn, email: email, next: next,
                error: "Too many sign-in attempts. Wait \(wait) seconds, then try again."), title: "Sign in", status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: "\(wait)")
            return response
        }
        guard let user = try await req.services.userAccounts(req.db).verify(email: email, password: form.password ?? "") else {
            await throttle.recordFailure(email: email, address: address, now: now)
            req.logger.notice("sign-in failed", metadata: ["email": "\(email)"])
            return render(req, AuthPage.Model(kind: .signIn, email: email, next: next,
                error: "That email and password do not match an account."), title: "Sign in", status: .unauthorized)
        }
        await throttle.recordSuccess(email: email, address: address)
        start(req, for: user)
        return req.redirect(to: next ?? "/")
    }

    func signOut(req: Request) async throws -> Response {
        req.auth.logout(User.self)
        req.browserSession.signOut()
        req.rotateCSRF()
        return req.redirect(to: "/sign-in")
    }

    func setupPage(req: Request) async throws -> Response {
        guard try await User.query(on: req.db).count() == 0 else { return req.redirectFound(to: "/sign-in") }
        return render(req, AuthPage.Model(kind: .setup), title: "Set up")
    }

    func setup(req: Request) async throws -> Response {
        let form = try req.content.decode(Credentials.self)
        let created: User?
        do {
            created = try await req.services.userAccounts(req.db).createFirstAdministrator(email: form.email ?? "", password: form.password ?? "")
        } catch let error as AppError {
            return render(req, AuthPage.Model(kind: .setup, email: User.normalize(email: form.email ?? ""), error: error.message), title: "Set up",
                          status: .unprocessableEntity)
        }
        guard let created else { return req.redirectFound(to: "/sign-in") }
        start(req, for: created)
        req.flash(.success, "Welcome! Next, connect PagerDuty under Settings → Integrations.")
        return req.redirect(to: "/")
    }

    func invitationPage(req: Request) async throws -> Response {
        guard let invitation = try await req.services.userAccounts(req.db).invitation(token: req.parameters.get("token") ?? "") else {
            throw AppError(.notFound, code: "invitation_expired", "This invitation is unknown, used or expired; ask an administrator for a new one.")
        }
        return render(req, AuthPage.Model(kind: .invitation, email: invitation.email), title: "Join Shiftbridge")
    }

    func acceptInvitation(req: Request) async throws -> Response {
        let form = try req.content.decode(Credentials.self)
        let token = req.parameters.get("token") ?? ""
        let accounts = req.services.userAccounts(req.db)
        do {
            let user = try await accounts.accept(token: token, password: form.password ?? "")
            start(req, for: user)
            req.flash(.success, "Welcome to Shiftbridge, \(user.email).")
            return req.redirect(to: "/")
        } catch let error as AppError where error.kind == .invalid {
            let email = try await accounts.invitation(token: token)?.email ?? ""
            return render(req, AuthPage.Model(kind: .invitation, email: email, error: error.message), title: "Join Shiftbridge", status: .unprocessableEntity)
        }
    }

    /// A new session (and a new CSRF cookie) for whoever just proved who they are.
    private func start(_ req: Request, for user: User) {
        req.auth.login(user)
        req.browserSession.signIn(user)
        req.rotateCSRF()
    }

    private func render(_ req: Request, _ model: AuthPage.Model, title: String, status: HTTPResponseStatus = .ok) -> Response {
        HTMLResponse.make(status: status, html: AuthPage.render(model, context: req.pageContext(title: title)))
    }
}
