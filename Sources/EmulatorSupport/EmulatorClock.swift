import Foundation

/// The controllable clock. Frozen at a set instant (tests), or real time plus an offset.
public struct EmulatorClock: Sendable {
    public var offset: TimeInterval = 0
    public var frozenAt: Date?

    public func now() -> Date { frozenAt ?? Date().addingTimeInterval(offset) }

    public mutating func set(_ date: Date, frozen: Bool) {
        if frozen {
            frozenAt = date
            offset = 0
        } else {
            frozenAt = nil
            offset = date.timeIntervalSinceNow
        }
    }

    public mutating func advance(_ seconds: TimeInterval) {
        if let frozenAt { self.frozenAt = frozenAt.addingTimeInterval(seconds) } else { offset += seconds }
    }

    /// Applies a control request: `{"now": ISO-8601, "frozen"?: true}`, `{"advance_seconds": N}`
    /// or `{"real": true}`.
    public mutating func apply(_ body: JSON?) throws(ControlRequestError) {
        if let text = body?["now"]?.string {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime]
            let fractional = ISO8601DateFormatter()
            fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            guard let date = formatter.date(from: text) ?? fractional.date(from: text) else {
                throw ControlRequestError(message: "now must be an ISO-8601 date-time")
            }
            set(date, frozen: body?["frozen"]?.bool ?? true)
        } else if let seconds = body?["advance_seconds"]?.number {
            advance(seconds)
        } else if body?["real"]?.bool == true {
            self = EmulatorClock()
        } else {
            throw ControlRequestError(message: "send {\"now\": ISO-8601}, {\"advance_seconds\": N} or {\"real\": true}")
        }
    }

    public init() {}
}
