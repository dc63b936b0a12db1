import Foundation
import NIOConcurrencyHelpers
import PagerDutyKit

/// One OAuth token provider per stored grant in this process: every caller then paces
/// through one pacer and refreshes through one provider, so a rotated refresh token is never
/// used twice by two callers racing. A new grant (a new `tokenVersion`) replaces it.
final class OAuthProviderCache: Sendable {
    private let entry = NIOLockedValueBox<(key: String, provider: OAuthTokenProvider)?>(nil)

    func provider(for key: String, make: () throws -> OAuthTokenProvider) rethrows -> OAuthTokenProvider {
        try entry.withLockedValue { entry in
            if let entry, entry.key == key { return entry.provider }
            let provider = try make()
            entry = (key, provider)
            return provider
        }
    }

    func forget() {
        entry.withLockedValue { $0 = nil }
    }
}
