import Foundation
import NIOConcurrencyHelpers
import PagerDutyKit

/// How the test app's requests leave it: over loopback, unless a test puts a recorder or a
/// scripted receiver in place.
final class SwitchableTransport: HTTPTransport, Sendable {
    private let current = NIOLockedValueBox<any HTTPTransport>(AsyncHTTPClientTransport())

    func use(_ transport: any HTTPTransport) { current.withLockedValue { $0 = transport } }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        try await current.withLockedValue { $0 }.send(request)
    }
}
