import Foundation

/// Someone on duty: a person, known by email, or a PagerDuty user PagerDuty gave no email
/// for (who still counts: several people may be on call at once).
public enum DutyMember: Hashable, Sendable {
    case person(email: String)
    case pagerDutyUser(id: String)

    public var email: String? {
        if case .person(let email) = self { return email }
        return nil
    }

    /// How webhooks and the audit log name it: the email, else `pagerduty:<id>` (the wire form
    /// of the webhook contract).
    public var label: String {
        switch self {
        case .person(let email): email
        case .pagerDutyUser(let id): "pagerduty:\(id)"
        }
    }
}

extension DutyMember: Codable {
    enum CodingKeys: String, CodingKey { case email, pagerDutyUserID = "pagerduty_user_id" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let email = try container.decodeIfPresent(String.self, forKey: .email) {
            self = .person(email: email)
        } else {
            self = .pagerDutyUser(id: try container.decode(String.self, forKey: .pagerDutyUserID))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .person(let email): try container.encode(email, forKey: .email)
        case .pagerDutyUser(let id): try container.encode(id, forKey: .pagerDutyUserID)
        }
    }
}
