import AsyncHTTPClient
import HTTPTransport
import Foundation
import NIOCore
import NIOHTTP1
@testable import Shiftbridge
import ShiftbridgeCore
import Testing
import Vapor
import VaporTesting

/// `/scim/v2` against what took the service down or past its limits, over a real loopback
/// connection: every refusal is SCIM's error JSON, and the server answers the next request.
@Suite struct SCIMHostileInputTests {
    struct Answer {
        let status: Int
        let json: JSON
        let contentType: String
    }

    func send(_ base: String, _ token: String, _ method: HTTPMethod, _ path: String, body: HTTPClientRequest.Body? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/scim+json")
        if let body { request.body = body }
        let response = try await AsyncHTTPClientTransport.sharedClient.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: Int(response.status.code), json: JSON.parse(Data(buffer: bytes)) ?? .null,
                      contentType: response.headers.first(name: "Content-Type") ?? "")
    }

    @Test func filtersThatCrashedTheServiceAreRefusedAndBodiesAreCappedBeforeTheyAreRead() async throws {
        try await SCIMTests().withSCIM { f, scim in
            let app = f.app
            app.http.server.configuration.hostname = "127.0.0.1"
            app.http.server.configuration.port = 0
            try await app.server.start()
            do {
                try await check(app, scim)
            } catch {
                await app.server.shutdown()
                throw error
            }
            await app.server.shutdown()
        }
    }

    func check(_ app: Application, _ scim: SCIMTests.SCIM) async throws {
        let base = "http://127.0.0.1:\(try #require(app.http.server.shared.localAddress?.port))/scim/v2"
        func search(_ filter: String) async throws -> Answer {
            let body = try JSONSerialization.data(withJSONObject: ["schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": filter])
            return try await send(base, scim.token, .POST, "/Users/.search", body: .bytes(ByteBuffer(data: body)))
        }
        func isSCIMError(_ answer: Answer, _ status: Int, _ type: String? = nil) -> Bool {
            answer.status == status && answer.contentType.hasPrefix("application/scim+json") && answer.json["status"]?.string == String(status)
                && answer.json["schemas"]?.array?.first?.string == "urn:ietf:params:scim:api:messages:2.0:Error"
                && (type == nil || answer.json["scimType"]?.string == type)
        }
        // 32,500 nested parentheses: under the route's 64 KB, refused by depth.
        let nested = String(repeating: "(", count: 32_500) + #"userName eq "a""# + String(repeating: ")", count: 32_500)
        let deep = try await search(nested)
        #expect(isSCIMError(deep, 400, "invalidFilter"), "\(deep)")
        let chain = try await search(Array(repeating: "a pr", count: 6_000).joined(separator: " and "))
        #expect(isSCIMError(chain, 400, "tooMany"), "\(chain)")
        // More terms fit only in a query string (NIO refuses a far longer request line itself).
        let long = try await send(base, scim.token, .GET, "/Users?filter=" + Array(repeating: "a%20pr", count: 4_000).joined(separator: "%20and%20"))
        #expect(isSCIMError(long, 400, "tooMany"), "\(long)")
        let negations = try await search(String(repeating: "not (", count: 10_000) + "title pr" + String(repeating: ")", count: 10_000))
        #expect(isSCIMError(negations, 400, "invalidFilter"), "\(negations)")
        let query = try await send(base, scim.token, .GET, "/Users?filter=" + (String(repeating: "(", count: 2_000) + "title pr" + String(repeating: ")", count: 2_000))
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        #expect(isSCIMError(query, 400, "invalidFilter"), "\(query)")

        // A 5 MB search (the route takes 64 KB) and a 3 MB displayName (1 MB): 413, declared or streamed.
        let big = try JSONSerialization.data(withJSONObject: ["filter": #"userName eq "a""#, "padding": String(repeating: "x", count: 5 << 20)])
        #expect(isSCIMError(try await send(base, scim.token, .POST, "/Users/.search", body: .bytes(ByteBuffer(data: big))), 413))
        let name = try JSONSerialization.data(withJSONObject: ["schemas": [SCIMSchema.userURN], "userName": "big@corp.example",
                                                               "displayName": String(repeating: "n", count: 3 << 20)])
        let streamed = AsyncStream<ByteBuffer> { continuation in
            for start in stride(from: 0, to: name.count, by: 64 << 10) { continuation.yield(ByteBuffer(data: name[start..<min(start + (64 << 10), name.count)])) }
            continuation.finish()
        }
        let unsized = try await send(base, scim.token, .POST, "/Users", body: .stream(streamed, length: .unknown))
        #expect(isSCIMError(unsized, 413), "\(unsized)")
        #expect(try await scim.employee("big@corp.example") == nil)

        // Whatever fails under /scim/v2 answers SCIM's JSON: no route, wrong method, no token.
        #expect(isSCIMError(try await send(base, scim.token, .GET, "/Groups"), 404))
        #expect(isSCIMError(try await send(base, scim.token, .DELETE, "/ServiceProviderConfig"), 405))
        #expect(isSCIMError(try await send(base, "wrong", .GET, "/Users"), 401))
        #expect(isSCIMError(try await send(base, scim.token, .GET, "/Users/" + String(repeating: "u", count: 300)), 404))
        // Still serving.
        let after = try await send(base, scim.token, .GET, "/Users")
        #expect(after.status == 200 && after.json["totalResults"] != nil)
    }
}
