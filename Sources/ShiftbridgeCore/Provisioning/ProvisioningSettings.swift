import Foundation

/// How provisioning runs: which stages, which mode, the guards, how HR fields map onto
/// PagerDuty's, and how the CSV is read.
public struct ProvisioningSettings: Codable, Equatable, Sendable {
    public enum Mode: String, Codable, Sendable, CaseIterable { case autopilot, supervised }
    public enum Stage: String, Codable, Sendable, CaseIterable { case hire, update, terminate, rehire }

    public var mode: Mode = .supervised
    /// Provision everyone; otherwise only employees a rule matches.
    public var processAll = true
    public var stages: [Stage] = Stage.allCases
    /// More terminations in one run than this share of provisioned users (at least one), or
    /// than `terminationThresholdCount`, holds every termination for approval.
    public var terminationThresholdPercent: Double = 10
    public var terminationThresholdCount = 25
    /// Emails never deleted (owners and admins who must keep access).
    public var protectedUsers: [String] = []
    /// Where HR dates take effect.
    public var timeZone = "Etc/UTC"
    /// Keep a PagerDuty user whose employee no longer matches a rule.
    public var doNotDeprovisionOnRoleChange = false
    /// PagerDuty fields never overwritten after creation: name, email, job_title, time_zone, description, role.
    public var excludeFromUpdate: [String] = []
    public var attributeMapping = AttributeMapping()
    public var columns = ColumnMapping()
    public var delimiter = ","
    /// How the HR export's bytes read as text.
    public var encoding: TextEncoding = .utf8
    public var statusValues = StatusValues()
    /// The PagerDuty user that creates are made on behalf of; the account owner when unset.
    public var fromEmail: String?
    /// Start a run on its own this often (so future-dated changes happen on their day);
    /// nil: only when asked.
    public var runEveryMinutes: Int?
    /// While items wait for approval, a guard holds a run or a source keeps failing, the
    /// administrators hear of it this often (a webhook event, a Slack message).
    public var reminderHours = 4

    public init() {}

    /// PagerDuty user fields from templates over employee attributes: `{first_name} {last_name}`,
    /// with `|upper`, `|lower` or `|trim` after a name. An empty result leaves the field alone.
    public struct AttributeMapping: Codable, Equatable, Sendable {
        public var name = "{name}"
        public var email = "{email}"
        public var jobTitle = "{title}"
        public var timeZone = "{time_zone}"
        public var description = ""
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable { case name, email, jobTitle = "job_title", timeZone = "time_zone", description }

        public init(from decoder: any Decoder) throws {
            try KnownKeys.check(decoder, CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = AttributeMapping()
            name = try c.decodeIfPresent(String.self, forKey: .name) ?? d.name
            email = try c.decodeIfPresent(String.self, forKey: .email) ?? d.email
            jobTitle = try c.decodeIfPresent(String.self, forKey: .jobTitle) ?? d.jobTitle
            timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone) ?? d.timeZone
            description = try c.decodeIfPresent(String.self, forKey: .description) ?? d.description
        }

        var templates: [(field: String, template: String)] {
            [("name", name), ("email", email), ("job_title", jobTitle), ("time_zone", timeZone), ("description", description)]
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case mode, processAll = "process_all", stages, terminationThresholdPercent = "termination_threshold_percent"
        case terminationThresholdCount = "termination_threshold_count", protectedUsers = "protected_users", timeZone = "time_zone"
        case doNotDeprovisionOnRoleChange = "do_not_deprovision_on_role_change", excludeFromUpdate = "exclude_from_update"
        case attributeMapping = "attribute_mapping", columns, delimiter, encoding, statusValues = "status_values", fromEmail = "from_email"
        case runEveryMinutes = "run_every_minutes", reminderHours = "reminder_hours"
    }

    /// Missing keys keep their defaults, so a partial document updates only what it names.
    public init(from decoder: any Decoder) throws {
        try self.init(from: decoder, base: ProvisioningSettings())
    }

    public init(from decoder: any Decoder, base: ProvisioningSettings) throws {
        self = base
        try KnownKeys.check(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? mode
        processAll = try c.decodeIfPresent(Bool.self, forKey: .processAll) ?? processAll
        stages = try c.decodeIfPresent([Stage].self, forKey: .stages) ?? stages
        terminationThresholdPercent = try c.decodeIfPresent(Double.self, forKey: .terminationThresholdPercent) ?? terminationThresholdPercent
        terminationThresholdCount = try c.decodeIfPresent(Int.self, forKey: .terminationThresholdCount) ?? terminationThresholdCount
        protectedUsers = try c.decodeIfPresent([String].self, forKey: .protectedUsers) ?? protectedUsers
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone) ?? timeZone
        doNotDeprovisionOnRoleChange = try c.decodeIfPresent(Bool.self, forKey: .doNotDeprovisionOnRoleChange) ?? doNotDeprovisionOnRoleChange
        excludeFromUpdate = try c.decodeIfPresent([String].self, forKey: .excludeFromUpdate) ?? excludeFromUpdate
        attributeMapping = try c.decodeIfPresent(AttributeMapping.self, forKey: .attributeMapping) ?? attributeMapping
        columns = try c.decodeIfPresent(ColumnMapping.self, forKey: .columns) ?? columns
        delimiter = try c.decodeIfPresent(String.self, forKey: .delimiter) ?? delimiter
        encoding = try c.decodeIfPresent(TextEncoding.self, forKey: .encoding) ?? encoding
        statusValues = try c.decodeIfPresent(StatusValues.self, forKey: .statusValues) ?? statusValues
        if c.contains(.fromEmail) { fromEmail = try c.decodeIfPresent(String.self, forKey: .fromEmail) }
        if c.contains(.runEveryMinutes) { runEveryMinutes = try c.decodeIfPresent(Int.self, forKey: .runEveryMinutes) }
        reminderHours = try c.decodeIfPresent(Int.self, forKey: .reminderHours) ?? reminderHours
    }

    public static let maxRunEveryMinutes = 7 * 24 * 60

    public static let updatableFields = ["name", "email", "job_title", "time_zone", "description", "role"]

    public func problems() -> [String] {
        var problems: [String] = []
        if stages.isEmpty { problems.append("stages: choose at least one of \(Stage.allCases.map(\.rawValue).joined(separator: ", "))") }
        if !(0...100).contains(terminationThresholdPercent) { problems.append("termination_threshold_percent must be from 0 to 100") }
        if TimeZone(identifier: timeZone) == nil { problems.append("time_zone '\(timeZone)' is not an IANA time zone such as Europe/Berlin") }
        for field in excludeFromUpdate where !Self.updatableFields.contains(field) {
            problems.append("exclude_from_update: '\(field)' is not one of \(Self.updatableFields.joined(separator: ", "))")
        }
        for email in protectedUsers where !EmailAddress.isValid(email.lowercased()) {
            problems.append("protected_users: '\(email)' is not an email address")
        }
        if let fromEmail, !EmailAddress.isValid(fromEmail.lowercased()) { problems.append("from_email: '\(fromEmail)' is not an email address") }
        if let minutes = runEveryMinutes, !(5...Self.maxRunEveryMinutes).contains(minutes) {
            problems.append("run_every_minutes must be from 5 to \(Self.maxRunEveryMinutes) (a week), or null to run only when asked")
        }
        if !(1...168).contains(reminderHours) { problems.append("reminder_hours must be from 1 to 168 (a week)") }
        if !(0...1_000_000).contains(terminationThresholdCount) { problems.append("termination_threshold_count must be from 0 to 1000000") }
        for (field, template) in attributeMapping.templates where template.count > 500 { problems.append("attribute_mapping.\(field): at most 500 characters") }
        if protectedUsers.count > 10_000 { problems.append("protected_users: at most 10000 addresses") }
        if delimiter.count != 1 || delimiter.first?.asciiValue == nil || delimiter == "\"" || delimiter == "\n" { problems.append("delimiter must be one character, such as , or ; (not a quote)") }
        for (field, template) in attributeMapping.templates {
            if let problem = Template.problem(template) { problems.append("attribute_mapping.\(field): \(problem)") }
        }
        if attributeMapping.email.isEmpty || attributeMapping.name.isEmpty { problems.append("attribute_mapping: name and email need a template") }
        return problems
    }

    var zone: TimeZone { TimeZone(identifier: timeZone) ?? .gmt }
}

/// `{attribute}` placeholders, with optional `|upper`, `|lower`, `|trim`.
public enum Template {
    public static func render(_ template: String, _ employee: Employee) -> String {
        // The common templates are one placeholder: no string building.
        if template.hasPrefix("{"), template.hasSuffix("}"), !template.dropFirst().contains("{"), !template.contains("|") {
            return (employee.attribute(String(template.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)) ?? "").trimmingCharacters(in: .whitespaces)
        }
        var output = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            output += rest[..<open]
            let parts = rest[rest.index(after: open)..<close].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            var value = parts.first.flatMap { employee.attribute($0) } ?? ""
            for function in parts.dropFirst() {
                switch function {
                case "upper": value = value.uppercased()
                case "lower": value = value.lowercased()
                default: value = value.trimmingCharacters(in: .whitespaces)
                }
            }
            output += value
            rest = rest[rest.index(after: close)...]
        }
        return (output + rest).trimmingCharacters(in: .whitespaces)
    }

    static func problem(_ template: String) -> String? {
        var depth = 0
        for character in template {
            if character == "{" { depth += 1 }
            if character == "}" { depth -= 1 }
            if depth < 0 || depth > 1 { return "braces do not pair up in '\(template)'" }
        }
        if depth != 0 { return "an unclosed '{' in '\(template)'" }
        let functions = template.split(separator: "{", omittingEmptySubsequences: false).dropFirst().compactMap { $0.split(separator: "}").first }.flatMap { $0.split(separator: "|").dropFirst() }
        for function in functions where !["upper", "lower", "trim"].contains(function.trimmingCharacters(in: .whitespaces)) {
            return "unknown function '\(function)'; use upper, lower or trim"
        }
        return nil
    }
}
