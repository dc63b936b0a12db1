import Foundation
import NIOConcurrencyHelpers
@testable import PagerDutyKit

/// Answers from a script, and records what was asked: the fake side of `HTTPTransport`.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NIOLock()
    private var replies: [(TransportRequest) throws -> TransportResponse]
    private(set) var requests: [TransportRequest] = []

    init(_ replies: [(TransportRequest) throws -> TransportResponse]) {
        self.replies = replies
    }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        let reply: (TransportRequest) throws -> TransportResponse = lock.withLock {
            requests.append(request)
            return replies.isEmpty ? { _ in TransportResponse(status: 599) } : replies.removeFirst()
        }
        return try reply(request)
    }

    var count: Int { lock.withLock { requests.count } }
    var all: [TransportRequest] { lock.withLock { requests } }
}

func json(_ status: Int, _ body: String, headers: [String: String] = [:]) -> (TransportRequest) throws -> TransportResponse {
    { _ in TransportResponse(status: status, headers: headers, body: Data(body.utf8)) }
}

func client(_ transport: ScriptedTransport, credential: PagerDutyCredential = .apiKey("u+testkey1234"), attempts: Int = 4,
            sleeps: SleepLog = SleepLog()) -> PagerDutyClient {
    var configuration = PagerDutyClientConfiguration(baseURL: "https://api.example.test")
    configuration.maxAttempts = attempts
    return PagerDutyClient(credential: credential, configuration: configuration, transport: transport,
                           pacer: RequestPacer(requestsPerMinute: 60_000, burst: 1000), sleep: { seconds in sleeps.record(seconds) })
}

final class SleepLog: @unchecked Sendable {
    private let lock = NIOLock()
    private var values: [TimeInterval] = []
    func record(_ value: TimeInterval) { lock.withLock { values.append(value) } }
    var all: [TimeInterval] { lock.withLock { values } }
}
