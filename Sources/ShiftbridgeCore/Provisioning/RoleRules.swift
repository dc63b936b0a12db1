import Foundation

/// A condition over employee attributes: a test, or several combined with AND (`all`) or
/// OR (`any`). JSON: `{"all":[…]}`, `{"any":[…]}`, or
/// `{"attribute":"department","operator":"equals","value":"Engineering"}`.
public indirect enum Condition: Codable, Equatable, Sendable {
    case all([Condition])
    case any([Condition])
    case test(Test)

    public enum Operator: String, Codable, Sendable, CaseIterable {
        case equals, notEquals = "not_equals", contains, startsWith = "starts_with", endsWith = "ends_with"
        case inList = "in", matches, isEmpty = "is_empty"
    }

    public struct Test: Codable, Equatable, Sendable {
        public var attribute: String
        public var op: Operator
        public var value: String?
        public var values: [String]?
        /// Tests ignore case unless told otherwise.
        public var caseSensitive: Bool?

        public init(attribute: String, op: Operator, value: String? = nil, values: [String]? = nil, caseSensitive: Bool? = nil) {
            self.attribute = attribute
            self.op = op
            self.value = value
            self.values = values
            self.caseSensitive = caseSensitive
        }

        enum CodingKeys: String, CodingKey {
            case attribute, op = "operator", value, values, caseSensitive = "case_sensitive"
        }
    }

    enum CodingKeys: String, CodingKey { case all, any }

    public init(from decoder: any Decoder) throws {
        try KnownKeys.check(decoder, allowed: ["all", "any", "attribute", "operator", "value", "values", "case_sensitive"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let all = try c.decodeIfPresent([Condition].self, forKey: .all) {
            self = .all(all)
        } else if let any = try c.decodeIfPresent([Condition].self, forKey: .any) {
            self = .any(any)
        } else {
            self = .test(try Test(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .all(let conditions):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(conditions, forKey: .all)
        case .any(let conditions):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(conditions, forKey: .any)
        case .test(let test):
            try test.encode(to: encoder)
        }
    }

    public func matches(_ employee: Employee) -> Bool {
        switch self {
        case .all(let conditions): conditions.allSatisfy { $0.matches(employee) }
        case .any(let conditions): conditions.contains { $0.matches(employee) }
        case .test(let test): test.matches(employee.attribute(test.attribute))
        }
    }

    /// What is wrong with the condition, as messages naming where (`path`).
    func problems(at path: String) -> [String] {
        switch self {
        case .all(let conditions), .any(let conditions):
            if conditions.isEmpty { return ["\(path): an empty group; add a condition or remove the group"] }
            return conditions.enumerated().flatMap { $0.element.problems(at: "\(path).\($0.offset + 1)") }
        case .test(let test):
            var problems: [String] = []
            if test.attribute.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("\(path): attribute is empty") }
            switch test.op {
            case .isEmpty: break
            case .inList:
                if (test.values ?? []).isEmpty { problems.append("\(path): operator 'in' needs a non-empty list in 'values'") }
            case .matches:
                if let pattern = test.value {
                    if (try? NSRegularExpression(pattern: pattern)) == nil { problems.append("\(path): '\(pattern)' is not a valid regular expression") }
                } else {
                    problems.append("\(path): operator 'matches' needs a regular expression in 'value'")
                }
            default:
                if test.value == nil { problems.append("\(path): operator '\(test.op.rawValue)' needs a 'value'") }
            }
            return problems
        }
    }
}

extension Condition.Test {
    func matches(_ attribute: String?) -> Bool {
        let sensitive = caseSensitive ?? false
        let actual = sensitive ? (attribute ?? "") : (attribute ?? "").lowercased()
        let expected = sensitive ? (value ?? "") : (value ?? "").lowercased()
        switch op {
        case .equals: return actual == expected
        case .notEquals: return actual != expected
        case .contains: return actual.contains(expected)
        case .startsWith: return actual.hasPrefix(expected)
        case .endsWith: return actual.hasSuffix(expected)
        case .inList: return (values ?? []).contains { (sensitive ? $0 : $0.lowercased()) == actual }
        case .isEmpty: return (attribute ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        case .matches:
            guard let pattern = value,
                  let regex = try? NSRegularExpression(pattern: pattern, options: sensitive ? [] : [.caseInsensitive]) else { return false }
            let text = attribute ?? ""
            return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
    }
}

/// PagerDuty's roles (API names) and team roles.
public enum PagerDutyRoles {
    public static let base = ["admin", "limited_user", "observer", "read_only_user", "read_only_limited_user", "restricted_access", "user"]
    public static let team = ["observer", "responder", "manager"]
}

/// Ordered rules: the first that matches gives the base role, team memberships and licence.
public struct RoleRules: Codable, Equatable, Sendable {
    public struct TeamGrant: Codable, Equatable, Sendable, Hashable {
        /// A team's PagerDuty id or its name.
        public var team: String
        public var role: String
        public init(team: String, role: String = "responder") {
            self.team = team
            self.role = role
        }
    }

    public struct Rule: Codable, Equatable, Sendable {
        public var name: String
        public var when: Condition
        public var role: String?
        public var teams: [TeamGrant]
        public var license: String?

        public init(name: String, when: Condition, role: String? = nil, teams: [TeamGrant] = [], license: String? = nil) {
            self.name = name
            self.when = when
            self.role = role
            self.teams = teams
            self.license = license
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case name, when, role, teams, license }

        public init(from decoder: any Decoder) throws {
            try KnownKeys.check(decoder, CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
            when = try c.decode(Condition.self, forKey: .when)
            role = try c.decodeIfPresent(String.self, forKey: .role)
            teams = try c.decodeIfPresent([TeamGrant].self, forKey: .teams) ?? []
            license = try c.decodeIfPresent(String.self, forKey: .license)
        }
    }

    public var rules: [Rule]
    public var defaultRole: String

    public init(rules: [Rule] = [], defaultRole: String = "user") {
        self.rules = rules
        self.defaultRole = defaultRole
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case rules, defaultRole = "default_role" }

    public init(from decoder: any Decoder) throws {
        try KnownKeys.check(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rules = try c.decodeIfPresent([Rule].self, forKey: .rules) ?? []
        defaultRole = try c.decodeIfPresent(String.self, forKey: .defaultRole) ?? "user"
    }

    /// Every problem, each naming the rule; empty when the rules can be saved.
    public func problems() -> [String] {
        var problems: [String] = []
        if !PagerDutyRoles.base.contains(defaultRole) {
            problems.append("default_role '\(defaultRole)' is not a PagerDuty role (\(PagerDutyRoles.base.joined(separator: ", ")))")
        }
        var names = Set<String>()
        for (index, rule) in rules.enumerated() {
            let label = "rule \(index + 1)" + (rule.name.isEmpty ? "" : " '\(rule.name)'")
            if rule.name.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("\(label): give the rule a name") }
            else if !names.insert(rule.name.lowercased()).inserted { problems.append("\(label): another rule has this name") }
            if let role = rule.role, !PagerDutyRoles.base.contains(role) {
                problems.append("\(label): role '\(role)' is not a PagerDuty role (\(PagerDutyRoles.base.joined(separator: ", ")))")
            }
            for grant in rule.teams {
                if grant.team.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("\(label): a team grant names no team") }
                if !PagerDutyRoles.team.contains(grant.role) {
                    problems.append("\(label): team role '\(grant.role)' is not one of \(PagerDutyRoles.team.joined(separator: ", "))")
                }
            }
            problems += rule.when.problems(at: "\(label) condition").map { $0 }
        }
        return problems
    }

    /// The index of the first rule the employee matches.
    public func firstMatch(_ employee: Employee) -> Int? {
        rules.firstIndex { $0.when.matches(employee) }
    }

    /// How many employees each rule takes (first match wins), and the resulting role counts.
    public func preview(_ employees: [Employee], processAll: Bool) -> (perRule: [Int], unmatched: Int, roles: [String: Int]) {
        var perRule = Array(repeating: 0, count: rules.count)
        var unmatched = 0
        var roles: [String: Int] = [:]
        for employee in employees where employee.status != .terminated {
            if let index = firstMatch(employee) {
                perRule[index] += 1
                roles[rules[index].role ?? defaultRole, default: 0] += 1
            } else {
                unmatched += 1
                if processAll { roles[defaultRole, default: 0] += 1 }
            }
        }
        return (perRule, unmatched, roles)
    }
}
