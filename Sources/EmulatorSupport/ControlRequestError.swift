import Foundation

/// A control request that cannot be applied, with what to fix.
public struct ControlRequestError: Error, Sendable {
    public let message: String
}
