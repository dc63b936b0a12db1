import Foundation

/// The rule builder as an HTML form carries it: flat, indexed field names (`r0.name`,
/// `r0.g1.t2.operator`, `r0.team0.role`), and the buttons that change its shape (`add-test:0.1`,
/// `up:2`) before anything is saved.
extension RuleForm {
    public init(fields: [String: String]) {
        self.init(defaultRole: fields["default_role"] ?? "user")
        let ruleCount = Self.count(fields, prefix: "r", after: "")
        for r in 0..<ruleCount {
            let p = "r\(r)."
            var rule = Rule()
            rule.name = fields[p + "name"] ?? ""
            rule.role = fields[p + "role"] ?? ""
            rule.license = fields[p + "license"] ?? ""
            rule.any = fields[p + "match"] == "any"
            rule.rawCondition = fields[p + "when_json"].flatMap { $0.isEmpty ? nil : $0 }
            rule.groups = (0..<Self.count(fields, prefix: "g", after: p)).map { g in
                let gp = p + "g\(g)."
                return Group(any: fields[gp + "match"] == "any", tests: (0..<Self.count(fields, prefix: "t", after: gp)).map { t in
                    let tp = gp + "t\(t)."
                    return Test(attribute: fields[tp + "attribute"] ?? "", op: Condition.Operator(rawValue: fields[tp + "operator"] ?? "") ?? .equals,
                                value: fields[tp + "value"] ?? "", caseSensitive: fields[tp + "case"] == "1")
                })
            }
            rule.teams = (0..<Self.count(fields, prefix: "team", after: p)).map { k in
                RoleRules.TeamGrant(team: fields[p + "team\(k).team"] ?? "", role: fields[p + "team\(k).role"] ?? "responder")
            }
            rules.append(rule)
        }
    }

    /// How many `prefix<N>.` entries follow `after` (N counting from 0, without gaps).
    static func count(_ fields: [String: String], prefix: String, after: String) -> Int {
        var index = 0
        while fields.keys.contains(where: { $0.hasPrefix("\(after)\(prefix)\(index).") }) { index += 1 }
        return index
    }

    /// Applies a shape-changing button; unknown or out-of-range operations change nothing.
    public mutating func apply(_ operation: String) {
        let parts = operation.split(separator: ":", maxSplits: 1).map(String.init)
        let indexes = (parts.count > 1 ? parts[1] : "").split(separator: ".").compactMap { Int($0) }
        func rule(_ i: Int) -> Bool { rules.indices.contains(i) }
        switch (parts[0], indexes) {
        case ("add-rule", _):
            rules.append(Rule())
        case ("remove-rule", let i) where i.count == 1 && rule(i[0]):
            rules.remove(at: i[0])
        case ("up", let i) where i.count == 1 && rule(i[0]) && i[0] > 0:
            rules.swapAt(i[0], i[0] - 1)
        case ("down", let i) where i.count == 1 && rule(i[0]) && i[0] < rules.count - 1:
            rules.swapAt(i[0], i[0] + 1)
        case ("add-group", let i) where i.count == 1 && rule(i[0]) && rules[i[0]].rawCondition == nil:
            rules[i[0]].groups.append(Group())
        case ("add-test", let i) where i.count == 2 && rule(i[0]) && rules[i[0]].groups.indices.contains(i[1]):
            rules[i[0]].groups[i[1]].tests.append(Test())
        case ("remove-test", let i) where i.count == 3 && rule(i[0]) && rules[i[0]].groups.indices.contains(i[1])
            && rules[i[0]].groups[i[1]].tests.indices.contains(i[2]):
            rules[i[0]].groups[i[1]].tests.remove(at: i[2])
            if rules[i[0]].groups[i[1]].tests.isEmpty { rules[i[0]].groups.remove(at: i[1]) }
            if rules[i[0]].groups.isEmpty { rules[i[0]].groups = [Group()] }
        case ("add-team", let i) where i.count == 1 && rule(i[0]):
            rules[i[0]].teams.append(RoleRules.TeamGrant(team: ""))
        case ("remove-team", let i) where i.count == 2 && rule(i[0]) && rules[i[0]].teams.indices.contains(i[1]):
            rules[i[0]].teams.remove(at: i[1])
        default:
            break
        }
    }
}
