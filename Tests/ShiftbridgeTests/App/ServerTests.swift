import Fluent
import Foundation
@testable import Shiftbridge
import SQLKit
import Testing
import Vapor
import VaporTesting

/// The real server on a loopback port, reached over HTTP as a user's browser would.
@Suite struct ServerTests {
    @Test func servesOverLoopbackWithMetrics() async throws {
        try await withTestApp { app in
            let tester = try app.testing(method: .running(hostname: "127.0.0.1", port: 0))
            let ready = try await tester.sendRequest(.GET, "/readyz")
            #expect(ready.status == .ok)
            _ = try await tester.sendRequest(.GET, "/sign-in")
            let metrics = try await tester.sendRequest(.GET, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.body.string.contains("http_requests_total"))
            #expect(metrics.body.string.contains("path=\"/readyz\""))
            #expect(metrics.body.string.contains("http_request_duration_seconds"))
            let css = try await tester.sendRequest(.GET, "/static/app.css")
            #expect(css.status == .ok)
            #expect(css.body.string.contains(".topbar"))
        }
    }
}
