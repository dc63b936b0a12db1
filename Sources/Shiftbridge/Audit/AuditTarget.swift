import Foundation

/// What an audit event is about. Stored as `kind:name` (`rotation:OPS`, `user:ann@example.com`);
/// an event about a rotation also keeps the rotation's id, so its history follows the rotation.
enum AuditTarget: Sendable, Equatable {
    case user(email: String)
    case person(email: String)
    case rotation(code: String, id: UUID?)
    case webhook(url: String)
    case integration(String)
    case provisioning(String)
    case provisioningRun(UUID)
    case pagerDutyUser(email: String)

    static func rotation(_ rotation: Rotation) -> AuditTarget { .rotation(code: rotation.code, id: rotation.id) }

    var stored: String {
        switch self {
        case .user(let email): "user:\(email)"
        case .person(let email): "person:\(email)"
        case .rotation(let code, _): "rotation:\(code)"
        case .webhook(let url): "webhook:\(url)"
        case .integration(let name): "integration:\(name)"
        case .provisioning(let part): "provisioning:\(part)"
        case .provisioningRun(let id): "provisioning-run:\(id)"
        case .pagerDutyUser(let email): "pagerduty-user:\(email)"
        }
    }

    var rotationID: UUID? {
        if case .rotation(_, let id) = self { return id }
        return nil
    }
}
