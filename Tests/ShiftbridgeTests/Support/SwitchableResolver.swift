import NIOConcurrencyHelpers
@testable import Shiftbridge

/// How the test app resolves names: the system's, unless a test scripts the answers.
final class SwitchableResolver: HostResolver, Sendable {
    private let current = NIOLockedValueBox<any HostResolver>(SystemHostResolver())

    func use(_ resolver: any HostResolver) { current.withLockedValue { $0 = resolver } }

    func addresses(of host: String) async throws -> [NetworkAddress] {
        try await current.withLockedValue { $0 }.addresses(of: host)
    }
}
