import Foundation

/// What stops PagerDuty from deleting a user, in words that say what to do about it.
public struct DeletionBlockers: Equatable, Sendable {
    /// Open incidents assigned to the user (their numbers or ids).
    public var incidents: [String] = []
    /// Escalation policies that target the user directly.
    public var escalationPolicies: [String] = []
    /// Schedules with the user on a layer.
    public var schedules: [String] = []

    public init(incidents: [String] = [], escalationPolicies: [String] = [], schedules: [String] = []) {
        self.incidents = incidents
        self.escalationPolicies = escalationPolicies
        self.schedules = schedules
    }

    public var isEmpty: Bool { incidents.isEmpty && escalationPolicies.isEmpty && schedules.isEmpty }

    public var descriptions: [String] {
        var lines: [String] = []
        if !incidents.isEmpty { lines.append("open incident(s) \(incidents.joined(separator: ", ")) assigned: resolve or reassign them") }
        if !escalationPolicies.isEmpty {
            lines.append("a direct target of escalation policy \(Set(escalationPolicies).sorted().joined(separator: ", ")): replace them on the policy")
        }
        if !schedules.isEmpty { lines.append("on schedule \(Set(schedules).sorted().joined(separator: ", ")): take them off its layers") }
        return lines
    }
}
