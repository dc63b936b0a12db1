import Fluent
import Foundation
import NIOConcurrencyHelpers
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

@Suite struct RotationFeedsTests {
    @Test func calendarFeedIsSecretRevocableAndListsShifts() async throws {
        try await RotationsTests().withRotations { api, _ in
            _ = try await api.call(.POST, "/api/v1/rotations", ["code": "CAL", "name": "Calendar", "members": ["ann@example.com", "ben@example.com"]])
            _ = try await api.call(.PUT, "/api/v1/rotations/CAL/schedule", ["type": "daily", "time": "09:00", "time_zone": "Etc/UTC"])
            let issued = try await api.call(.POST, "/api/v1/rotations/CAL/calendar-feed")
            #expect(issued.status == .created)
            let url = try issued.decode(RotationFeedsController.FeedURL.self).url
            let path = String(url.dropFirst(url.range(of: "/calendar/")!.lowerBound.utf16Offset(in: url)))
            let feed = try await api.app.testing().sendRequest(.GET, path)
            #expect(feed.status == .ok)
            #expect(feed.headers.contentType?.subType == "calendar")
            let ics = feed.body.string
            #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\n"))
            #expect(ics.contains("DTSTART:20260105T080000Z") && ics.contains("DTEND:20260105T090000Z"))
            #expect(ics.contains("SUMMARY:CAL: Ann"))
            #expect(ics.components(separatedBy: "BEGIN:VEVENT").count - 1 == 31)
            // The token is stored only as a digest.
            let token = String(path.dropFirst("/calendar/".count).dropLast(4))
            #expect(try await RotationSecret.query(on: api.app.db).first()?.digest == RotationSecret.digest(token))
            // Revoked: the old link stops working.
            #expect(try await api.call(.DELETE, "/api/v1/rotations/CAL/calendar-feed").status == .noContent)
            #expect(try await api.app.testing().sendRequest(.GET, path).status == .notFound)
            #expect(try await api.app.testing().sendRequest(.GET, "/calendar/guess.ics").status == .notFound)
        }
    }

    @Test func incomingWebhooksRotateAndSetOnDutyWithTheSecret() async throws {
        try await RotationsTests().withRotations { api, _ in
            _ = try await api.call(.POST, "/api/v1/rotations", ["code": "HOOK", "name": "Hook", "members": ["ann@example.com", "ben@example.com", "cat@example.com"]])
            let setup = try await api.call(.POST, "/api/v1/rotations/HOOK/incoming-webhook")
            #expect(setup.status == .created)
            let secret = try setup.decode(RotationFeedsController.WebhookSetup.self).secret
            func hook(_ json: [String: Any], secret: String?) async throws -> TestingHTTPResponse {
                var headers = HTTPHeaders()
                headers.contentType = .json
                if let secret { headers.replaceOrAdd(name: "X-Shiftbridge-Secret", value: secret) }
                return try await api.app.testing().sendRequest(.POST, "/hooks/rotations", headers: headers, body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: json)))
            }
            #expect(try await hook(["action": "rotate"], secret: nil).status == .unauthorized)
            #expect(try await hook(["action": "rotate"], secret: "wrong").status == .unauthorized)
            let rotated = try await hook(["action": "rotate"], secret: secret)
            #expect(rotated.status == .ok)
            #expect(rotated.body.string.contains("ben@example.com"))
            let set = try await hook(["action": "setonduty", "email": "CAT@example.com"], secret: secret)
            #expect(set.body.string.contains("cat@example.com"))
            let stranger = try await hook(["action": "setonduty", "email": "dev@example.com"], secret: secret)
            #expect(stranger.status == .unprocessableEntity && stranger.body.string.contains("not a member"))
            #expect(try await hook(["action": "explode"], secret: secret).status == .unprocessableEntity)
            let actors = try await AuditEvent.query(on: api.app.db).filter(\.$actor == "webhook").all().map(\.action)
            #expect(actors.map(\.rawValue).sorted() == ["rotation.rotated", "rotation.set_on_duty"])
            #expect(try await api.call(.DELETE, "/api/v1/rotations/HOOK/incoming-webhook").status == .noContent)
            #expect(try await hook(["action": "rotate"], secret: secret).status == .unauthorized)
        }
    }
}
