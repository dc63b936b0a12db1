import Foundation

// PagerDuty's objects, as far as Shiftbridge reads and writes them. Decoding is lenient:
// any field may be null or missing (deleted users arrive as bare references), unknown fields
// are ignored, and unknown enum values are kept as strings.

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == AnyKey {
    /// The value, or nil when it is missing, null, or of another type.
    func lenient<T: Decodable>(_ type: T.Type, _ key: String) -> T? {
        (try? decodeIfPresent(T.self, forKey: AnyKey(key))) ?? nil
    }

    func list<T: Decodable>(_ type: T.Type, _ key: String) -> [T] {
        // Items that fail to decode are skipped rather than failing the whole list.
        guard var nested = try? nestedUnkeyedContainer(forKey: AnyKey(key)) else { return [] }
        var items: [T] = []
        while !nested.isAtEnd {
            if let item = try? nested.decode(T.self) { items.append(item) } else { _ = try? nested.decode(Skip.self) }
        }
        return items
    }

    func date(_ key: String) -> Date? { lenient(String.self, key).flatMap(PagerDutyDate.parse) }

    /// A field without which the object means nothing (an id, a start): missing is an error.
    func required<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
        guard let value = lenient(T.self, key) else {
            throw DecodingError.keyNotFound(AnyKey(key), .init(codingPath: codingPath, debugDescription: "'\(key)' is required"))
        }
        return value
    }
}

private struct Skip: Decodable {}

extension String {
    func asPagerDutyDate() throws -> Date {
        guard let date = PagerDutyDate.parse(self) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "'\(self)' is not an ISO 8601 date"))
        }
        return date
    }
}

public enum PagerDutyDate {
    public static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    public static func format(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}

/// A reference to another object (`user_reference`, `team_reference`, …).
public struct PDReference: Decodable, Sendable, Equatable, Hashable {
    public var id: String
    public var type: String?
    public var summary: String?

    public init(id: String, type: String? = nil, summary: String? = nil) {
        self.id = id
        self.type = type
        self.summary = summary
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = try c.required(String.self, "id")
        type = c.lenient(String.self, "type")
        summary = c.lenient(String.self, "summary")
    }
}

public struct PDUser: Decodable, Sendable, Equatable {
    public var id: String
    public var name: String?
    public var email: String?
    public var role: String?
    public var timeZone: String?
    public var jobTitle: String?
    public var description: String?
    public var teams: [PDReference]
    public var contactMethods: [PDReference]
    public var license: PDReference?
    /// Set on references to deleted users.
    public var isDeleted: Bool
    /// The user's page in the PagerDuty web app; its host names the account's subdomain.
    public var htmlURL: String?

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = try c.required(String.self, "id")
        name = c.lenient(String.self, "name") ?? c.lenient(String.self, "summary")
        email = c.lenient(String.self, "email")
        role = c.lenient(String.self, "role")
        timeZone = c.lenient(String.self, "time_zone")
        jobTitle = c.lenient(String.self, "job_title")
        description = c.lenient(String.self, "description")
        teams = c.list(PDReference.self, "teams")
        contactMethods = c.list(PDReference.self, "contact_methods")
        license = c.lenient(PDReference.self, "license")
        isDeleted = c.lenient(String.self, "deleted_at") != nil
        htmlURL = c.lenient(String.self, "html_url")
    }

    /// `acme` for `https://acme.pagerduty.com/users/P123`.
    public var accountSubdomain: String? {
        guard let host = htmlURL.flatMap({ URL(string: $0)?.host }), host.hasSuffix(".pagerduty.com") else { return nil }
        return host.split(separator: ".").first.map(String.init)
    }
}

/// Fields for creating or updating a user; nil fields are left out of the request.
public struct PDUserInput: Encodable, Sendable, Equatable {
    public var name: String?
    public var email: String?
    public var role: String?
    public var timeZone: String?
    public var jobTitle: String?
    public var description: String?
    public var licenseID: String?

    public init(name: String? = nil, email: String? = nil, role: String? = nil, timeZone: String? = nil,
                jobTitle: String? = nil, description: String? = nil, licenseID: String? = nil) {
        self.name = name
        self.email = email
        self.role = role
        self.timeZone = timeZone
        self.jobTitle = jobTitle
        self.description = description
        self.licenseID = licenseID
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.encode("user", forKey: AnyKey("type"))
        try c.encodeIfPresent(name, forKey: AnyKey("name"))
        try c.encodeIfPresent(email, forKey: AnyKey("email"))
        try c.encodeIfPresent(role, forKey: AnyKey("role"))
        try c.encodeIfPresent(timeZone, forKey: AnyKey("time_zone"))
        try c.encodeIfPresent(jobTitle, forKey: AnyKey("job_title"))
        try c.encodeIfPresent(description, forKey: AnyKey("description"))
        if let licenseID { try c.encode(["id": licenseID, "type": "license_reference"], forKey: AnyKey("license")) }
    }
}

public struct PDTeam: Decodable, Sendable, Equatable {
    public var id: String
    public var name: String?
    public var description: String?

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = try c.required(String.self, "id")
        name = c.lenient(String.self, "name") ?? c.lenient(String.self, "summary")
        description = c.lenient(String.self, "description")
    }
}

public struct PDTeamMember: Decodable, Sendable, Equatable {
    public var user: PDReference
    /// observer, responder, manager
    public var role: String?

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        user = try c.decode(PDReference.self, forKey: AnyKey("user"))
        role = c.lenient(String.self, "role")
    }
}

public struct PDRestriction: Decodable, Sendable, Equatable {
    public var type: String
    public var startTimeOfDay: String
    public var durationSeconds: Int
    public var startDayOfWeek: Int?

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        type = c.lenient(String.self, "type") ?? "daily_restriction"
        startTimeOfDay = c.lenient(String.self, "start_time_of_day") ?? "00:00:00"
        durationSeconds = c.lenient(Int.self, "duration_seconds") ?? 0
        startDayOfWeek = c.lenient(Int.self, "start_day_of_week")
    }
}

public struct PDScheduleEntry: Decodable, Sendable, Equatable {
    public var start: Date
    public var end: Date?
    public var user: PDUser?

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        start = try c.required(String.self, "start").asPagerDutyDate()
        end = c.date("end")
        user = c.lenient(PDUser.self, "user")
    }
}

public struct PDScheduleLayer: Decodable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var start: Date?
    public var end: Date?
    public var rotationVirtualStart: Date?
    public var rotationTurnLengthSeconds: Int?
    public var users: [PDUser]
    public var restrictions: [PDRestriction]
    public var renderedEntries: [PDScheduleEntry]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = c.lenient(String.self, "id")
        name = c.lenient(String.self, "name")
        start = c.date("start")
        end = c.date("end")
        rotationVirtualStart = c.date("rotation_virtual_start")
        rotationTurnLengthSeconds = c.lenient(Int.self, "rotation_turn_length_seconds")
        struct Wrapped: Decodable { let user: PDUser }
        users = c.list(Wrapped.self, "users").map(\.user)
        restrictions = c.list(PDRestriction.self, "restrictions")
        renderedEntries = c.list(PDScheduleEntry.self, "rendered_schedule_entries")
    }
}

public struct PDSchedule: Decodable, Sendable, Equatable {
    public var id: String
    public var name: String?
    public var description: String?
    public var timeZone: String?
    public var layers: [PDScheduleLayer]
    /// The final schedule's entries for the requested window (empty without since/until).
    public var finalEntries: [PDScheduleEntry]
    public var overrideEntries: [PDScheduleEntry]
    /// Users on any layer (the list form carries these without layers).
    public var users: [PDUser]
    public var escalationPolicies: [PDReference]
    public var teams: [PDReference]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = try c.required(String.self, "id")
        name = c.lenient(String.self, "name") ?? c.lenient(String.self, "summary")
        description = c.lenient(String.self, "description")
        timeZone = c.lenient(String.self, "time_zone")
        layers = c.list(PDScheduleLayer.self, "schedule_layers")
        struct Sub: Decodable {
            let entries: [PDScheduleEntry]
            init(from decoder: any Decoder) throws {
                entries = (try decoder.container(keyedBy: AnyKey.self)).list(PDScheduleEntry.self, "rendered_schedule_entries")
            }
        }
        finalEntries = c.lenient(Sub.self, "final_schedule")?.entries ?? []
        overrideEntries = c.lenient(Sub.self, "overrides_subschedule")?.entries ?? []
        users = c.list(PDUser.self, "users")
        escalationPolicies = c.list(PDReference.self, "escalation_policies")
        teams = c.list(PDReference.self, "teams")
    }

    /// Everyone on any layer, in layer order, without repeats.
    public var layerUserIDs: [String] {
        var seen = Set<String>()
        return (layers.flatMap(\.users) + users).map(\.id).filter { seen.insert($0).inserted }
    }
}

public struct PDOverride: Decodable, Sendable, Equatable {
    public var id: String?
    public var start: Date
    public var end: Date
    public var user: PDUser?

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = c.lenient(String.self, "id")
        start = try c.required(String.self, "start").asPagerDutyDate()
        end = try c.required(String.self, "end").asPagerDutyDate()
        user = c.lenient(PDUser.self, "user")
    }
}

public struct PDOnCall: Decodable, Sendable, Equatable {
    public var user: PDUser?
    public var schedule: PDReference?
    public var escalationPolicy: PDReference?
    public var escalationLevel: Int?
    /// nil: permanently on call (a user named directly on a policy).
    public var start: Date?
    public var end: Date?

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        user = c.lenient(PDUser.self, "user")
        schedule = c.lenient(PDReference.self, "schedule")
        escalationPolicy = c.lenient(PDReference.self, "escalation_policy")
        escalationLevel = c.lenient(Int.self, "escalation_level")
        start = c.date("start")
        end = c.date("end")
    }
}

public struct PDEscalationPolicy: Decodable, Sendable, Equatable {
    public var id: String
    public var name: String?
    public var teams: [PDReference]
    /// Targets per level: user and schedule references.
    public var levels: [[PDReference]]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = try c.required(String.self, "id")
        name = c.lenient(String.self, "name") ?? c.lenient(String.self, "summary")
        teams = c.list(PDReference.self, "teams")
        struct Rule: Decodable {
            let targets: [PDReference]
            init(from decoder: any Decoder) throws { targets = (try decoder.container(keyedBy: AnyKey.self)).list(PDReference.self, "targets") }
        }
        levels = c.list(Rule.self, "escalation_rules").map(\.targets)
    }
}

public struct PDIncident: Decodable, Sendable, Equatable {
    public var id: String
    public var number: Int?
    public var title: String?
    public var status: String?
    public var assignees: [PDReference]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = try c.required(String.self, "id")
        number = c.lenient(Int.self, "incident_number")
        title = c.lenient(String.self, "title")
        status = c.lenient(String.self, "status")
        struct Assignment: Decodable { let assignee: PDReference }
        assignees = c.list(Assignment.self, "assignments").map(\.assignee)
    }
}

public struct PDLicense: Decodable, Sendable, Equatable {
    public var id: String
    public var name: String?
    public var validRoles: [String]
    public var allocationsAvailable: Int?

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = try c.required(String.self, "id")
        name = c.lenient(String.self, "name") ?? c.lenient(String.self, "summary")
        validRoles = c.list(String.self, "valid_roles")
        allocationsAvailable = c.lenient(Int.self, "allocations_available")
    }
}

public struct PDAuditRecord: Decodable, Sendable, Equatable {
    public var id: String
    public var executionTime: Date?
    public var action: String?
    public var rootResource: PDReference?
    /// The changed fields' names, when PagerDuty lists them.
    public var fieldNames: [String]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = try c.required(String.self, "id")
        executionTime = c.date("execution_time")
        action = c.lenient(String.self, "action")
        rootResource = c.lenient(PDReference.self, "root_resource")
        struct Field: Decodable { let name: String }
        struct Details: Decodable {
            let fields: [Field]
            init(from decoder: any Decoder) throws { fields = (try decoder.container(keyedBy: AnyKey.self)).list(Field.self, "fields") }
        }
        fieldNames = c.lenient(Details.self, "details")?.fields.map(\.name) ?? []
    }
}
