import EmulatorSupport
import Foundation

/// The account an emulator holds. Plain values, mutated only under `EmulatorState`'s lock.
struct Account: Sendable {
    var subdomain = "shiftbridge-demo"
    var users: [String: EUser] = [:]
    var userOrder: [String] = []
    var teams: [String: ETeam] = [:]
    var teamOrder: [String] = []
    var schedules: [String: ESchedule] = [:]
    var scheduleOrder: [String] = []
    var escalationPolicies: [String: EEscalationPolicy] = [:]
    var escalationPolicyOrder: [String] = []
    var services: [String: EService] = [:]
    var incidents: [String: EIncident] = [:]
    var incidentOrder: [String] = []
    var auditRecords: [EAuditRecord] = []  // oldest first
    var licenses: [ELicense] = []
    var abilities: [String] = ["teams", "read_only_users", "advanced_permissions", "urgencies", "manage_schedules", "audit_records"]
    var nextID = 1
    var nextIncidentNumber = 1

    mutating func makeID(_ prefix: Character) -> String {
        defer { nextID += 1 }
        // Seven characters like PagerDuty's, stable for a given seed.
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var n = nextID * 7_919 + 104_729
        var text = ""
        for _ in 0..<5 {
            text.append(alphabet[n % alphabet.count])
            n /= alphabet.count
        }
        return "P\(prefix)\(text)"
    }
}

struct EUser: Sendable {
    var id: String
    var name: String
    var email: String
    var role: String
    var timeZone: String
    var jobTitle: String?
    var description: String?
    var color: String
    var licenseID: String?
    var createdAt: Date
    var contactMethodID: String
    var notificationRuleID: String
}

struct ETeam: Sendable {
    var id: String
    var name: String
    var description: String?
    var defaultRole: String = "manager"
    /// user id → team role (observer, responder, manager), in insertion order.
    var members: [(userID: String, role: String)] = []
}

struct ELayer: Sendable {
    var id: String
    var name: String
    var start: Date
    var end: Date?
    var rotationVirtualStart: Date
    var turnLengthSeconds: Int
    var userIDs: [String]
    var restrictions: [ScheduleRenderer.Restriction]
    var renderingIndex: Int
}

struct EOverride: Sendable {
    var id: String
    var start: Date
    var end: Date
    var userID: String
}

struct ESchedule: Sendable {
    var id: String
    var name: String
    var description: String?
    var timeZone: String
    var layers: [ELayer]
    var overrides: [EOverride] = []
    var teamIDs: [String] = []

    var renderLayers: [ScheduleRenderer.Layer] {
        layers.map {
            ScheduleRenderer.Layer(start: $0.start, end: $0.end, rotationVirtualStart: $0.rotationVirtualStart,
                                   turnLengthSeconds: $0.turnLengthSeconds, userIDs: $0.userIDs,
                                   restrictions: $0.restrictions, renderingIndex: $0.renderingIndex)
        }
    }

    var renderOverrides: [ScheduleRenderer.Override] {
        overrides.map { ScheduleRenderer.Override(start: $0.start, end: $0.end, userID: $0.userID) }
    }

    var zone: TimeZone { TimeZone(identifier: timeZone) ?? .gmt }
}

struct EEscalationPolicy: Sendable {
    struct Target: Sendable {
        enum Kind: String, Sendable { case user = "user_reference", schedule = "schedule_reference" }
        var kind: Kind
        var id: String
    }
    struct Rule: Sendable {
        var id: String
        var delayMinutes: Int
        var targets: [Target]
    }
    var id: String
    var name: String
    var description: String?
    var rules: [Rule]
    var teamIDs: [String] = []
    var numLoops = 0
}

struct EService: Sendable {
    var id: String
    var name: String
    var escalationPolicyID: String
}

struct EIncident: Sendable {
    var id: String
    var number: Int
    var title: String
    var status: String  // triggered, acknowledged, resolved
    var urgency: String
    var serviceID: String?
    var escalationPolicyID: String?
    var assigneeIDs: [String]
    var createdAt: Date
    var resolvedAt: Date?
}

struct ELicense: Sendable {
    var id: String
    var name: String
    var validRoles: [String]
    var allocationsAvailable: Int
}

struct EAuditRecord: Sendable {
    var id: String
    var executionTime: Date
    var action: String  // create, update, delete
    var rootType: String  // users, teams, schedules, escalation_policies, services
    var rootID: String
    var rootSummary: String
    var actor: String  // credential label
    var methodType: String  // api_token, oauth
    var fields: [(name: String, before: String?, after: String?)]
}

struct APIKeyRecord: Sendable {
    var key: String
    var readOnly: Bool
    var label: String
}

struct OAuthAppRecord: Sendable {
    var clientID: String
    var clientSecret: String
    var redirectURI: String
    var scopes: [String]
}

struct AuthorizationCode: Sendable {
    var code: String
    var clientID: String
    var redirectURI: String
    var scopes: [String]
    var codeChallenge: String
    var userID: String
    var expiresAt: Date
}

struct AccessTokenRecord: Sendable {
    var token: String
    var clientID: String
    var scopes: [String]
    var userID: String?  // nil for app (client credentials) tokens
    var expiresAt: Date
}

struct RefreshTokenRecord: Sendable {
    var token: String
    var clientID: String
    var scopes: [String]
    var userID: String
    var expiresAt: Date
}
