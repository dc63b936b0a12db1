import Fluent
import Foundation
import Vapor

/// A rotation's calendar feed and incoming webhook: issued and revoked through the API,
/// reached by calendar apps and other tools with the secret alone.
struct RotationFeedsController {
    func boot(api: any RoutesBuilder, open: any RoutesBuilder) {
        let one = api.grouped("rotations", ":rotation")
        one.post("calendar-feed", use: issueFeed)
        one.delete("calendar-feed", use: revokeFeed)
        one.post("incoming-webhook", use: issueWebhook)
        one.delete("incoming-webhook", use: revokeWebhook)
        open.get("calendar", ":file", use: calendar).publicAccess()
        open.post("hooks", "rotations", use: incoming).publicAccess()
    }

    struct FeedURL: Content { let url: String }
    struct WebhookSetup: Content {
        let url: String
        let secret: String
        let header: String
    }

    static let secretHeader = "X-Shiftbridge-Secret"

    func issueFeed(req: Request) async throws -> Response {
        let (rotation, user) = try await find(req)
        let links = req.services.links
        _ = try links.url("/")
        let token = try await req.services.rotationSecrets(req.db).issue(.calendar, for: rotation, by: user)
        let response = try await FeedURL(url: try links.url("/calendar/\(token).ics")).encodeResponse(for: req)
        response.status = .created
        return response
    }

    func revokeFeed(req: Request) async throws -> HTTPStatus {
        let (rotation, user) = try await find(req)
        try await req.services.rotationSecrets(req.db).revoke(.calendar, for: rotation, by: user)
        return .noContent
    }

    func issueWebhook(req: Request) async throws -> Response {
        let (rotation, user) = try await find(req)
        let url = try req.services.links.url("/hooks/rotations")
        let secret = try await req.services.rotationSecrets(req.db).issue(.incomingWebhook, for: rotation, by: user)
        let response = try await WebhookSetup(url: url, secret: secret, header: Self.secretHeader).encodeResponse(for: req)
        response.status = .created
        return response
    }

    func revokeWebhook(req: Request) async throws -> HTTPStatus {
        let (rotation, user) = try await find(req)
        try await req.services.rotationSecrets(req.db).revoke(.incomingWebhook, for: rotation, by: user)
        return .noContent
    }

    /// `GET /calendar/<token>.ics`: the next 30 days of shifts as iCalendar.
    func calendar(req: Request) async throws -> Response {
        let file = req.parameters.get("file") ?? ""
        guard file.hasSuffix(".ics"),
              let rotation = try await req.services.rotationSecrets(req.db).rotation(bySecret: String(file.dropLast(4)), kind: .calendar)
        else { throw AppError(.notFound, code: "not_found", "No calendar here; the link may have been revoked.") }
        let shifts = try await req.services.rotationDuty(req.db).upcomingShifts(rotation, days: 30)
        // Only the people the feed names.
        let named = Array(Set(shifts.flatMap(\.people)))
        let names = Dictionary(try await Person.query(on: req.db).filter(\.$email ~~ named).all().map { ($0.email, $0.name) }, uniquingKeysWith: { first, _ in first })
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/calendar; charset=utf-8")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: ICalendar.render(
            name: "\(rotation.name) (\(rotation.code))", id: rotation.id?.uuidString ?? rotation.code,
            events: shifts.map { ($0.start, $0.end, $0.people.map { names[$0] ?? $0 }) }, code: rotation.code, now: req.services.clock.now())))
    }

    struct Incoming: Content {
        var action: String
        var email: String?
    }

    /// `POST /hooks/rotations` with the secret header: `{"action":"rotate"}` or
    /// `{"action":"setonduty","email":"…"}`. The secret names the rotation.
    func incoming(req: Request) async throws -> RotationsAPIController.OnDuty {
        guard let secret = req.headers.first(name: Self.secretHeader),
              let rotation = try await req.services.rotationSecrets(req.db).rotation(bySecret: secret, kind: .incomingWebhook)
        else { throw AppError(.unauthenticated, code: "unauthenticated", "Send the rotation's webhook secret in \(Self.secretHeader)") }
        let body = try req.content.decode(Incoming.self)
        let service = req.services.rotationEditor(req.db)
        switch body.action {
        case "rotate":
            _ = try await service.rotate(rotation, actor: "webhook")
        case "setonduty":
            guard let email = body.email else { throw AppError.invalidField("email", "name the member to put on duty") }
            _ = try await service.setOnDuty(rotation, email: email, actor: "webhook")
        default:
            throw AppError.invalidField("action", "expected rotate or setonduty")
        }
        return RotationsAPIController.OnDuty(try await req.services.rotationDuty(req.db).duty(rotation))
    }

    private func find(_ req: Request) async throws -> (Rotation, User) {
        let user = try req.requireUser()
        return (try await req.services.rotationDirectory(req.db).find(req.parameters.get("rotation") ?? "", for: user), user)
    }
}
