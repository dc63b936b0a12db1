import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import PagerDutyKit
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

/// A receiver that answers from a script and records what it was sent.
final class RecordingReceiver: HTTPTransport, @unchecked Sendable {
    let received = NIOLockedValueBox<[TransportRequest]>([])
    let statuses = NIOLockedValueBox<[Int]>([])

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        received.withLockedValue { $0.append(request) }
        let status = statuses.withLockedValue { $0.isEmpty ? 200 : $0.removeFirst() }
        return TransportResponse(status: status)
    }
}
