import Foundation
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

/// The OpenAPI document tells the truth about the route table: every JSON route is in it,
/// and everything in it is a route.
@Suite struct OpenAPIDocumentTests {
    static func documented() throws -> (operations: Set<String>, document: [String: Any]) {
        let data = try #require(OpenAPIController.document, "the document is not in the bundle")
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var operations = Set<String>()
        for (path, methods) in paths {
            for method in methods.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                operations.insert("\(method.uppercased()) \(path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "{}", options: .regularExpression))")
            }
        }
        return (operations, document)
    }

    @Test func everyJSONRouteIsDocumentedAndNothingElse() async throws {
        try await withTestApp { app in
            let (documented, _) = try Self.documented()
            var routes = Set<String>()
            for route in app.routes.all {
                let path = "/" + route.path.map { component -> String in
                    if case .parameter = component { return "{}" }
                    return component.description
                }.joined(separator: "/")
                let isJSON = path.hasPrefix("/api/v1/") || path == "/hooks/rotations" || path == "/healthz" || path == "/readyz"
                if isJSON { routes.insert("\(route.method.rawValue) \(path)") }
            }
            let missing = routes.subtracting(documented).sorted()
            let extra = documented.subtracting(routes).sorted()
            #expect(missing.isEmpty, "routes missing from openapi.json: \(missing)")
            #expect(extra.isEmpty, "documented but not routes: \(extra)")
            #expect(routes.count >= 50)
        }
    }

    @Test func theDocumentIsServedWithoutSigningInAndEveryOperationHasAnErrorShape() async throws {
        try await withTestApp { app in
            let response = try await app.testing().sendRequest(.GET, "/api/v1/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers.contentType == .json)
            let (_, document) = try Self.documented()
            #expect(document["openapi"] as? String == "3.0.3")
            let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
            for (path, methods) in paths {
                for (method, operation) in methods {
                    let responses = try #require(operation["responses"] as? [String: Any], "\(method) \(path)")
                    #expect(responses["default"] != nil, "\(method) \(path) has no error response")
                    #expect(operation["operationId"] is String, "\(method) \(path) has no operationId")
                }
            }
        }
    }
}
