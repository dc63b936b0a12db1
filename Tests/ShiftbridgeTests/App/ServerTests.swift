import Fluent
import Glibc
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

extension ServerTests {
    /// A request head that stops arriving does not hold its connection: the server closes it.
    @Test func aRequestLeftUnfinishedIsClosed() async throws {
        try await withTestApp(environment: ["SHIFTBRIDGE_IDLE_TIMEOUT_SECONDS": "1"]) { app in
            app.http.server.configuration.hostname = "127.0.0.1"
            app.http.server.configuration.port = 0
            try await app.server.start()
            let port = try #require(app.http.server.shared.localAddress?.port)
            let started = Date()
            let closed = try await Task.detached { () -> Bool in
                let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                defer { Glibc.close(socket) }
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
                guard connected == 0 else { return false }
                let partial = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8)
                _ = partial.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, 0) }
                var timeout = timeval(tv_sec: 10, tv_usec: 0)
                setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var buffer = [UInt8](repeating: 0, count: 256)
                // 0: the server closed the connection (rather than the 10 s read timeout passing).
                return Glibc.recv(socket, &buffer, buffer.count, 0) == 0
            }.value
            #expect(closed, "the connection stayed open")
            #expect(Date().timeIntervalSince(started) < 5)
            await app.server.shutdown()
        }
    }
}

extension ServerTests {
    /// A path segment longer than a file name may be is a page that does not exist (404),
    /// never a server error, wherever it is.
    @Test func overlongPathSegmentsAreNotFound() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let token = try await app.issueToken()
            let long = String(repeating: "x", count: 300)
            for path in ["/\(long)", "/static/\(long)", "/static/\(long)/app.css", "/api/v1/\(long)", "/scim/v2/\(long)"] {
                let answer = try await app.testing().sendRequest(.GET, path, headers: ["Authorization": "Bearer \(token)"])
                #expect(answer.status == .notFound || answer.status == .unauthorized, "\(path.prefix(20)): \(answer.status)")
            }
            let rotation = try await app.testing().sendRequest(.GET, "/api/v1/rotations/\(long)", headers: ["Authorization": "Bearer \(token)"])
            #expect(rotation.status == .notFound)
        }
    }
}
