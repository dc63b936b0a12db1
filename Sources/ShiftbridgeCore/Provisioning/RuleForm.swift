import Foundation

/// Role rules as the rule builder shows them: each rule's conditions as AND/OR groups of
/// tests (attribute · operator · value), its role, teams and licence. Converting rules to
/// the form and back gives the same rules: a condition the two levels cannot show (deeper
/// nesting, a one-test group kept as a group) travels whole, as JSON, and comes back as it was.
public struct RuleForm: Equatable, Sendable {
    public struct Test: Equatable, Sendable {
        public var attribute = ""
        public var op = Condition.Operator.equals
        /// The value; for `in`, the values separated by commas.
        public var value = ""
        public var caseSensitive = false

        public init(attribute: String = "", op: Condition.Operator = .equals, value: String = "", caseSensitive: Bool = false) {
            self.attribute = attribute
            self.op = op
            self.value = value
            self.caseSensitive = caseSensitive
        }
    }

    public struct Group: Equatable, Sendable {
        /// OR between the tests; AND when false.
        public var any = false
        public var tests: [Test] = [Test()]
        public init(any: Bool = false, tests: [Test] = [Test()]) {
            self.any = any
            self.tests = tests
        }
    }

    public struct Rule: Equatable, Sendable {
        public var name = ""
        public var role = ""
        public var license = ""
        public var teams: [RoleRules.TeamGrant] = []
        /// OR between the groups; AND when false.
        public var any = false
        public var groups: [Group] = [Group()]
        /// A condition the groups cannot show, kept as JSON.
        public var rawCondition: String?
        public init() {}
    }

    public var defaultRole: String
    public var rules: [Rule]

    public init(defaultRole: String = "user", rules: [Rule] = []) {
        self.defaultRole = defaultRole
        self.rules = rules
    }

    // MARK: Rules ↔ form

    public init(_ roleRules: RoleRules) {
        defaultRole = roleRules.defaultRole
        rules = roleRules.rules.map { rule in
            var form = Rule()
            form.name = rule.name
            form.role = rule.role ?? ""
            form.license = rule.license ?? ""
            form.teams = rule.teams
            if let (any, groups) = Self.groups(of: rule.when), Self.condition(any: any, groups: groups) == rule.when {
                form.any = any
                form.groups = groups
            } else {
                form.rawCondition = (try? JSONEncoder.sorted.encode(rule.when)).map { String(decoding: $0, as: UTF8.self) }
            }
            return form
        }
    }

    /// The rules the form says; throws naming a rule whose kept JSON no longer reads.
    public func roleRules() throws -> RoleRules {
        RoleRules(rules: try rules.enumerated().map { index, form in
            let when: Condition
            if let raw = form.rawCondition {
                guard let condition = try? JSONDecoder().decode(Condition.self, from: Data(raw.utf8)) else {
                    throw RuleFormError(message: "rule \(index + 1): its conditions (JSON) cannot be read; fix them under Advanced")
                }
                when = condition
            } else {
                when = Self.condition(any: form.any, groups: form.groups)
            }
            return RoleRules.Rule(name: form.name, when: when, role: form.role.isEmpty ? nil : form.role,
                                  teams: form.teams.filter { !$0.team.trimmingCharacters(in: .whitespaces).isEmpty },
                                  license: form.license.isEmpty ? nil : form.license)
        }, defaultRole: defaultRole)
    }

    /// The canonical condition: one test bare, one group as its combinator, several groups
    /// under the rule's combinator, each one-test group bare.
    static func condition(any: Bool, groups: [Group]) -> Condition {
        let parts = groups.map { group -> Condition in
            let tests = group.tests.map { Condition.test(test($0)) }
            return tests.count == 1 ? tests[0] : (group.any ? .any(tests) : .all(tests))
        }
        return parts.count == 1 ? parts[0] : (any ? .any(parts) : .all(parts))
    }

    static func groups(of condition: Condition) -> (any: Bool, groups: [Group])? {
        func group(_ condition: Condition) -> Group? {
            switch condition {
            case .test(let test): Group(tests: [form(test)])
            case .all(let children): tests(children).map { Group(any: false, tests: $0) }
            case .any(let children): tests(children).map { Group(any: true, tests: $0) }
            }
        }
        func tests(_ children: [Condition]) -> [Test]? {
            let tests = children.compactMap { child -> Test? in if case .test(let test) = child { form(test) } else { nil } }
            return tests.count == children.count && !tests.isEmpty ? tests : nil
        }
        if let single = group(condition) { return (false, [single]) }
        switch condition {
        case .all(let children): return children.map(group).allSatisfy { $0 != nil } ? (false, children.compactMap(group)) : nil
        case .any(let children): return children.map(group).allSatisfy { $0 != nil } ? (true, children.compactMap(group)) : nil
        case .test: return nil
        }
    }

    static func form(_ test: Condition.Test) -> Test {
        Test(attribute: test.attribute, op: test.op, value: test.op == .inList ? (test.values ?? []).joined(separator: ", ") : test.value ?? "",
             caseSensitive: test.caseSensitive ?? false)
    }

    static func test(_ form: Test) -> Condition.Test {
        let attribute = form.attribute.trimmingCharacters(in: .whitespaces)
        switch form.op {
        case .inList:
            return .init(attribute: attribute, op: .inList, values: form.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                         caseSensitive: form.caseSensitive ? true : nil)
        case .isEmpty:
            return .init(attribute: attribute, op: .isEmpty, caseSensitive: form.caseSensitive ? true : nil)
        default:
            return .init(attribute: attribute, op: form.op, value: form.value, caseSensitive: form.caseSensitive ? true : nil)
        }
    }
}
