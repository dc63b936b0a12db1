import Foundation

/// What to do to one Slack user group so it holds `wanted`, given what Slack holds now and
/// what Shiftbridge applied last. Pure: the delivery job reads, calls this, then writes.
public struct UsergroupDecision: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case none
        case create
        case enable(thenUpdate: Bool)
        case update
        /// Nobody to hold: Slack refuses an empty group, so it is disabled.
        case disable
    }

    public let action: Action
    /// Slack's members differ from what was last applied: someone edited the group by hand.
    public let drifted: Bool

    public init(action: Action, drifted: Bool) {
        self.action = action
        self.drifted = drifted
    }

    /// - Parameters:
    ///   - wanted: member ids the group should hold (empty: nobody on duty).
    ///   - current: the group in Slack, or nil when it does not exist yet.
    ///   - lastApplied: what Shiftbridge last set, or nil before the first time.
    public static func decide(wanted: Set<String>, current: (members: Set<String>, enabled: Bool)?, lastApplied: Set<String>?) -> UsergroupDecision {
        guard let current else {
            return UsergroupDecision(action: wanted.isEmpty ? .none : .create, drifted: false)
        }
        let drifted = current.enabled && lastApplied.map { !$0.isEmpty && $0 != current.members } ?? false
        if wanted.isEmpty {
            return UsergroupDecision(action: current.enabled ? .disable : .none, drifted: drifted)
        }
        if !current.enabled {
            return UsergroupDecision(action: .enable(thenUpdate: current.members != wanted), drifted: false)
        }
        return UsergroupDecision(action: current.members == wanted ? .none : .update, drifted: drifted)
    }
}
