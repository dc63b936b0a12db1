import AsyncHTTPClient
import Foundation
import NIOCore
import PagerDutyEmulator
import PagerDutyKit
import Testing

/// A running emulator for one test, shut down afterwards.
func withEmulator(seed: EmulatorState.Seed = .demo, rateLimitPerMinute: Int = 960, rateLimitWindow: TimeInterval = 60,
                  _ body: (EmulatorServer) async throws -> Void) async throws {
    let server = try await EmulatorServer.start(port: 0, seed: seed, rateLimitPerMinute: rateLimitPerMinute, rateLimitWindow: rateLimitWindow)
    do {
        try await body(server)
    } catch {
        await server.shutdown()
        throw error
    }
    await server.shutdown()
}

/// Raw HTTP to the emulator, for checking what it answers (status, headers, body).
struct RawHTTP {
    let base: String

    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func call(_ method: String, _ path: String, key: String? = nil, bearer: String? = nil, json: Any? = nil,
              form: String? = nil, headers extra: [(String, String)] = []) async throws -> Reply {
        var headers = extra
        if let key { headers.append(("Authorization", "Token token=\(key)")) }
        if let bearer { headers.append(("Authorization", "Bearer \(bearer)")) }
        var body: Data?
        if let json {
            body = try JSONSerialization.data(withJSONObject: json)
            headers.append(("Content-Type", "application/json"))
        }
        if let form {
            body = Data(form.utf8)
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        }
        let response = try await AsyncHTTPClientTransport().send(TransportRequest(method: method, url: base + path, headers: headers, body: body, timeout: 30))
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    func createKey(readOnly: Bool = false) async throws -> String {
        try await call("POST", "/_emulator/api-keys", json: ["read_only": readOnly]).json["key"] as! String
    }
}

extension EmulatorServer {
    var http: RawHTTP { RawHTTP(base: baseURL) }

    func client(key: String, from: String? = "owner@shiftbridge-demo.example", attempts: Int = 6) -> PagerDutyClient {
        var configuration = PagerDutyClientConfiguration(baseURL: baseURL, fromEmail: from)
        configuration.maxAttempts = attempts
        configuration.baseBackoff = 0.05
        configuration.maxBackoff = 0.5
        configuration.timeout = 5
        return PagerDutyClient(credential: .apiKey(key), configuration: configuration)
    }
}
