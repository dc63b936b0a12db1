/// Why someone is on duty at an instant.
public enum DutyReason: String, Sendable, Codable, Equatable {
    /// It is their turn in a rotation people turn by hand.
    case turn
    /// Their turn came by the rotation's own schedule.
    case schedule
    /// PagerDuty has them on call.
    case pagerDuty = "pagerduty"
    /// An override in PagerDuty puts them there instead of the regular turn.
    case override
}
