import EmulatorSupport
import Foundation

/// A Web API method: its rate-limit tier, the scope it needs (nil: decided by the handler,
/// or no token at all for `oauth.v2.access`), and its handler, run under the workspace lock.
struct WebMethod: Sendable {
    let name: String
    let tier: MethodTier
    let scope: String?
    let needsToken: Bool
    let handle: @Sendable (inout SlackWorkspace.Storage, MethodCall) throws(SlackError) -> JSON

    init(_ name: String, _ tier: MethodTier, scope: String?, needsToken: Bool = true,
         _ handle: @escaping @Sendable (inout SlackWorkspace.Storage, MethodCall) throws(SlackError) -> JSON) {
        self.name = name
        self.tier = tier
        self.scope = scope
        self.needsToken = needsToken
        self.handle = handle
    }
}
