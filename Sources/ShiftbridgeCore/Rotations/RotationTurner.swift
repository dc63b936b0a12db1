/// Who moves a rotation from one duty to the next (its raw value is the on-duty answer's
/// `source`).
public enum RotationTurner: String, Sendable, Codable, Equatable {
    /// People: the Rotate button, the API, `/oncall rotate`, an incoming webhook.
    case people = "manual"
    /// Its own schedule, at its handoff times (people may still rotate it early).
    case schedule
    /// PagerDuty: who is on call there is on duty here; nobody turns it here.
    case pagerDuty = "pagerduty"
}
