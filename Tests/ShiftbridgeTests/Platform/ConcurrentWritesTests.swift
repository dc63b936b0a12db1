import Fluent
import Foundation
import PagerDutyKit
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

/// Many writers at once on the embedded SQLite (one connection per event loop): every
/// request succeeds; none answers 500 "database is locked" (what made the browser test's
/// OAuth callback fail now and then while background jobs wrote).
@Suite struct ConcurrentWritesTests {
    @Test func concurrentWritesAllSucceedOnSQLite() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let token = try await app.issueToken()
            app.http.server.configuration.hostname = "127.0.0.1"
            app.http.server.configuration.port = 0
            try await app.server.start()
            let port = try #require(app.http.server.shared.localAddress?.port)
            let http = AsyncHTTPClientTransport()
            let statuses: [Int]
            do { statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                for client in 0..<8 {
                    group.addTask {
                        var seen: [Int] = []
                        for request in 0..<20 {
                            let body = #"{"email":"p\#(client)-\#(request)@example.com","name":"Person \#(client) \#(request)"}"#
                            let response = try await http.send(TransportRequest(method: "POST", url: "http://127.0.0.1:\(port)/api/v1/people",
                                                                                headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                                                                                body: Data(body.utf8)))
                            seen.append(response.status)
                        }
                        return seen
                    }
                }
                // Background jobs write meanwhile (leases, as every loop does each second).
                group.addTask {
                    for round in 0..<40 { _ = try await Leases.acquire("contention-\(round % 3)", ttl: 5, on: app.db, holder: app.services.instanceID, now: Date()) }
                    return []
                }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            } } catch {
                await app.server.shutdown()
                throw error
            }
            await app.server.shutdown()
            #expect(statuses.count == 160)
            #expect(statuses.allSatisfy { $0 == 201 }, "\(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count))")
            #expect(try await Person.query(on: app.db).count() == 160)
        }
    }
}
