import Foundation

/// A rule form that cannot become rules, with what to fix.
public struct RuleFormError: Error, Sendable, Equatable {
    public let message: String
}
