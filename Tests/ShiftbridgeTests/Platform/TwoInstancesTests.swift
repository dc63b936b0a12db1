import Fluent
import Foundation
import NIOConcurrencyHelpers
import PagerDutyKit
@testable import Shiftbridge
import Testing
import Vapor

/// Two instances on one database, both running their jobs, as two servers behind a load
/// balancer do: a burst of handoffs at one instant, and a receiver that answers slowly.
@Suite struct TwoInstancesTests {
    /// A webhook receiver that takes its time, counting what each instance sent it.
    final class SlowReceiver: Sendable {
        let delay: Duration
        let received = NIOLockedValueBox<[(instance: Int, url: String, delivery: String)]>([])

        init(delay: Duration) { self.delay = delay }

        struct Door: HTTPTransport {
            let receiver: SlowReceiver
            let instance: Int

            func send(_ request: TransportRequest) async throws -> TransportResponse {
                let delivery = request.headers.first { $0.0 == WebhookSender.deliveryHeader }?.1 ?? ""
                receiver.received.withLockedValue { $0.append((instance, request.url, delivery)) }
                try await Task.sleep(for: receiver.delay)
                return TransportResponse(status: 200)
            }
        }
    }

    @Test(arguments: [TestDatabase.sqlite] + (TestDatabase.postgresURL == nil ? [] : [TestDatabase.postgres]))
    func aBurstOfHandoffsIsRecordedOnceAndDeliveredOncePerWebhook(_ database: TestDatabase) async throws {
        try await withTestInstances(2, database) { apps in
            let clock = apps[0].testParts.clock
            clock.set("2026-01-05T08:00:00Z")
            try await apps[0].createAdmin()
            let api = APIClient(app: apps[0], token: try await apps[0].issueToken())
            try await api.addPerson("Ann", "ann@example.com")
            try await api.addPerson("Ben", "ben@example.com")
            let codes = (1...12).map { "R\($0)" }
            for code in codes {
                try await api.createRotation(RotationInput(code: code, name: code, members: ["ann@example.com", "ben@example.com"]))
                try await api.setSchedule(code, ScheduleInput(type: "daily", time: "10:00", time_zone: "Europe/Berlin"))
            }
            for url in ["https://one.example.com/in", "https://two.example.com/in"] {
                _ = try await api.call(.POST, "/api/v1/webhooks", json: WebhooksAPIController.CreateBody(url: url), as: WebhooksAPIController.WebhookDTO.self)
            }
            let receiver = SlowReceiver(delay: .milliseconds(1500))
            for (index, app) in apps.enumerated() { app.testParts.webhooks.use(SlowReceiver.Door(receiver: receiver, instance: index)) }

            // 09:00Z is 10:00 in Berlin: every rotation hands over at once, with both instances' jobs running.
            clock.set("2026-01-05T09:00:00Z")
            let stops = apps.map { AppDriver($0).startJobs(["handoffs", "webhook-delivery"]) }
            let expected = codes.count * 2
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                let pending = try await WebhookDelivery.query(on: apps[1].db).filter(\.$status != .delivered).count()
                let delivered = try await WebhookDelivery.query(on: apps[1].db).filter(\.$status == .delivered).count()
                if pending == 0 && delivered == expected { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            // Passes keep running a while longer: a repeat would show now.
            try await Task.sleep(for: .seconds(3))
            for stop in stops { await stop() }

            let handoffs = try await AuditEvent.query(on: apps[0].db).filter(\.$action == .rotationHandoff).count()
            #expect(handoffs == codes.count, "each handoff recorded once")
            #expect(try await WebhookDelivery.query(on: apps[0].db).count() == expected)
            let received = receiver.received.withLockedValue { $0 }
            #expect(received.count == expected, "each duty change delivered once per webhook, not \(received.count) times")
            #expect(Set(received.map { "\($0.url) \($0.delivery)" }).count == expected)
            #expect(Set(received.map(\.instance)) == [0, 1], "both instances delivered")
            for code in codes { #expect(try await api.onDuty(code) == ["ben@example.com"]) }
        }
    }
}
