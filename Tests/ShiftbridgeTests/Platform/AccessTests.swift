import Foundation
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

/// Walks the whole route table: every route not explicitly marked public must refuse an
/// anonymous caller, so a route added later is covered without touching this test.
@Suite struct AccessTests {
    @Test func everyProtectedRouteRefusesAnonymousRequests() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let routes = app.routes.all
            #expect(routes.count > 10)
            var checked = 0
            for route in routes where !route.isPublic {
                let path = "/" + route.path.map { component -> String in
                    switch component {
                    case .constant(let value): value
                    case .parameter: UUID().uuidString
                    case .anything, .catchall: "x"
                    }
                }.joined(separator: "/")
                let response = try await app.testing().sendRequest(route.method, path)
                if path.hasPrefix("/api/") && !route.isCallback {
                    #expect(response.status == .unauthorized, "\(route.method) \(path) answered \(response.status.code)")
                    #expect(response.headers.contentType == .json, "\(route.method) \(path) did not answer JSON")
                    #expect(response.body.string.contains("\"code\":\"unauthenticated\""))
                } else if path.hasPrefix("/scim/") {
                    // Identity providers get SCIM's own error, not a sign-in page.
                    #expect(response.status == .unauthorized, "\(route.method) \(path) answered \(response.status.code)")
                    #expect(response.body.string.contains("urn:ietf:params:scim:api:messages:2.0:Error"), "\(route.method) \(path)")
                } else {
                    #expect(response.status == .found, "\(route.method) \(path) answered \(response.status.code)")
                    #expect(response.headers.first(name: .location)?.hasPrefix("/sign-in") == true, "\(route.method) \(path)")
                }
                checked += 1
            }
            #expect(checked >= 8)
        }
    }

    @Test func onlyTheDocumentedRoutesArePublic() async throws {
        try await withTestApp { app in
            let publicPaths = Set(app.routes.all.filter(\.isPublic).map { "\($0.method) /\($0.path.map(\.description).joined(separator: "/"))" })
            #expect(publicPaths == [
                "GET /healthz", "GET /readyz", "GET /metrics", "GET /api/v1/openapi.json",
                // Slack signs each request; unsigned ones get 401.
                "POST /slack/commands",
                "GET /sign-in", "POST /sign-in", "GET /setup", "POST /setup",
                // The invitation link is the credential; it works once.
                "GET /invitations/:token", "POST /invitations/:token",
                // Reached with their own secret: the calendar feed's token, the webhook's header.
                "GET /calendar/:file", "POST /hooks/rotations",
            ])
        }
    }

    @Test func unknownAPIPathsAnswerJSONErrors() async throws {
        try await withTestApp { app in
            let response = try await app.testing().sendRequest(.GET, "/api/v1/does-not-exist")
            #expect(response.status == .notFound)
            #expect(response.body.string.contains("\"error\""))
            #expect(response.body.string.contains("\"code\":\"not_found\""))
        }
    }

    @Test func invalidQueryValuesNameTheField() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let token = try await app.issueToken(email: "ops@example.com", name: "t")
            let response = try await app.testing().sendRequest(.GET, "/api/v1/audit-events?limit=5000", headers: ["Authorization": "Bearer \(token)"])
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.string.contains("limit"))
            #expect(response.body.string.contains("\"code\":\"invalid_field\""))
        }
    }

    @Test func decodingErrorsBecomeFieldErrors() throws {
        struct Body: Decodable { let name: String; let size: Int }
        let decoder = JSONDecoder()
        let missing = AppError.from(catching: { try decoder.decode(Body.self, from: Data(#"{"name":"a"}"#.utf8)) })
        #expect(missing?.kind.httpStatus == .unprocessableEntity)
        #expect(missing?.message.hasPrefix("size:") == true)
        let wrongType = AppError.from(catching: { try decoder.decode(Body.self, from: Data(#"{"name":"a","size":"big"}"#.utf8)) })
        #expect(wrongType?.code == "invalid_field")
        #expect(wrongType?.message.contains("size") == true)
        let notJSON = AppError.from(catching: { try decoder.decode(Body.self, from: Data("{oops".utf8)) })
        #expect(notJSON?.kind.httpStatus == .badRequest)
        #expect(notJSON?.code == "invalid_json")
    }

    @Test func pagesCarrySecurityHeaders() async throws {
        try await withTestApp { app in
            let response = try await app.testing().sendRequest(.GET, "/sign-in")
            #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
            #expect(response.headers.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true)
        }
    }
}
