import Foundation

/// From employees, rules, settings and one complete read of PagerDuty's users, the changes
/// that make PagerDuty match HR. Pure: the caller reads and applies.
public enum ProvisioningPlanner {
    /// A PagerDuty user as one complete read found them, with team memberships (team id → role).
    public struct AccountUser: Equatable, Sendable {
        public var id: String
        public var name: String
        public var email: String
        public var role: String
        public var jobTitle: String?
        public var timeZone: String?
        public var description: String?
        public var teams: [String: String]
        public init(id: String, name: String, email: String, role: String, jobTitle: String? = nil, timeZone: String? = nil,
                    description: String? = nil, teams: [String: String] = [:]) {
            self.id = id
            self.name = name
            self.email = email
            self.role = role
            self.jobTitle = jobTitle
            self.timeZone = timeZone
            self.description = description
            self.teams = teams
        }
    }

    public struct Input: Sendable {
        public var employees: [Employee]
        /// PagerDuty user ids remembered against employee ids (from earlier runs).
        public var links: [String: String]
        /// Employees whose last known status was terminated: active again means rehire.
        public var previouslyTerminated: Set<String>
        public var users: [AccountUser]
        /// Team names (lower-cased) and ids → team id.
        public var teams: [String: String]
        /// Team id → name, to show in the plan.
        public var teamNames: [String: String] = [:]
        public var rules: RoleRules
        public var settings: ProvisioningSettings
        public var today: String

        public init(employees: [Employee], links: [String: String] = [:], previouslyTerminated: Set<String> = [], users: [AccountUser],
                    teams: [String: String] = [:], rules: RoleRules, settings: ProvisioningSettings, today: String) {
            self.employees = employees
            self.links = links
            self.previouslyTerminated = previouslyTerminated
            self.users = users
            self.teams = teams
            self.rules = rules
            self.settings = settings
            self.today = today
        }
    }

    public enum Action: String, Codable, Sendable, CaseIterable {
        case create, rehire, update, delete, noChange = "no_change", skip
    }

    public struct FieldChange: Codable, Equatable, Sendable {
        public var field: String
        public var before: String?
        public var after: String?
        public init(field: String, before: String?, after: String?) {
            self.field = field
            self.before = before
            self.after = after
        }
    }

    public struct TeamChange: Codable, Equatable, Sendable {
        public var teamID: String
        /// nil: remove from the team.
        public var role: String?
        /// The team's name, for people reading the plan.
        public var teamName: String?
        public init(teamID: String, role: String?, teamName: String? = nil) {
            self.teamID = teamID
            self.role = role
            self.teamName = teamName
        }
        enum CodingKeys: String, CodingKey { case teamID = "team_id", role, teamName = "team_name" }

        /// The team as people know it.
        public var team: String { teamName ?? teamID }
    }

    public struct Item: Codable, Equatable, Sendable {
        public var employeeID: String
        public var email: String
        public var name: String
        public var action: Action
        public var stage: ProvisioningSettings.Stage?
        public var pagerDutyUserID: String?
        public var changes: [FieldChange]
        public var teams: [TeamChange]
        public var license: String?
        /// Why it is skipped, unchanged, protected or held.
        public var reason: String?
        /// Protected from deletion: reported as blocked, never sent.
        public var protected: Bool
        /// Held for approval whatever the mode (the termination guard).
        public var held: Bool

        enum CodingKeys: String, CodingKey {
            case employeeID = "employee_id", email, name, action, stage, pagerDutyUserID = "pagerduty_user_id", changes, teams, license, reason, protected, held
        }

        public init(employeeID: String, email: String, name: String, action: Action, stage: ProvisioningSettings.Stage? = nil,
                    pagerDutyUserID: String? = nil, changes: [FieldChange] = [], teams: [TeamChange] = [], license: String? = nil,
                    reason: String? = nil, protected: Bool = false, held: Bool = false) {
            self.employeeID = employeeID
            self.email = email
            self.name = name
            self.action = action
            self.stage = stage
            self.pagerDutyUserID = pagerDutyUserID
            self.changes = changes
            self.teams = teams
            self.license = license
            self.reason = reason
            self.protected = protected
            self.held = held
        }

        /// The value a field should have after the change.
        public func value(_ field: String) -> String? { changes.first { $0.field == field }?.after }
    }

    public struct Plan: Equatable, Sendable {
        public var items: [Item]
        public var terminationsHeld: Bool
        public var provisionedUsers: Int
    }

    public static func plan(_ input: Input) -> Plan {
        let settings = input.settings
        let byID = Dictionary(input.users.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let byEmail = Dictionary(input.users.map { ($0.email.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        let protected = Set(settings.protectedUsers.map { $0.lowercased() })
        let stages = Set(settings.stages)
        func teamID(_ nameOrID: String) -> String? { input.teams[nameOrID] ?? input.teams[nameOrID.lowercased()] }
        // Only teams some rule grants are managed: memberships made by hand elsewhere stay.
        let managedTeams = Set(input.rules.rules.flatMap(\.teams).compactMap { teamID($0.team) })

        var items: [Item] = []
        items.reserveCapacity(input.employees.count)
        var zones: [String: Bool] = [:]
        var matchedUsers = 0
        for employee in input.employees {
            let linkedID = input.links[employee.employeeID]
            let existing = linkedID.flatMap { byID[$0] } ?? byEmail[employee.email.lowercased()]
            if existing != nil { matchedUsers += 1 }
            var item = Item(employeeID: employee.employeeID, email: employee.email, name: employee.name, action: .skip, stage: nil,
                            pagerDutyUserID: existing?.id, changes: [], teams: [], license: nil, reason: nil, protected: false, held: false)
            let ruleIndex = input.rules.firstMatch(employee)
            let rule = ruleIndex.map { input.rules.rules[$0] }
            let provisioned = settings.processAll || rule != nil

            var terminated = employee.status == .terminated
            if terminated, let date = employee.terminationDate, date > input.today {
                terminated = false
                item.reason = "terminates on \(date)"
            }
            if employee.status == .leave {
                item.action = existing == nil ? .skip : .noChange
                item.reason = "on leave: PagerDuty is left as it is"
                items.append(item)
                continue
            }

            if terminated || (!provisioned && existing != nil && !settings.doNotDeprovisionOnRoleChange) {
                guard let existing else {
                    item.reason = "terminated; no PagerDuty user"
                    items.append(item)
                    continue
                }
                item.action = .delete
                item.stage = .terminate
                item.reason = terminated ? "terminated" + (employee.terminationDate.map { " on \($0)" } ?? "") : "matches no rule"
                if existing.role == "owner" || protected.contains(existing.email.lowercased()) || protected.contains(employee.email.lowercased()) {
                    item.protected = true
                    item.reason = existing.role == "owner" ? "the account owner is never deleted" : "protected in settings; never deleted"
                }
            } else if !provisioned {
                item.action = existing == nil ? .skip : .noChange
                item.reason = existing == nil ? "matches no rule" : "matches no rule; kept (do not deprovision on change of role)"
            } else if let start = employee.startDate, start > input.today, existing == nil {
                item.reason = "starts on \(start)"
            } else {
                let desired = desiredFields(employee, role: rule?.role ?? input.rules.defaultRole, mapping: settings.attributeMapping, zones: &zones)
                let grants = (rule?.teams ?? []).compactMap { grant in teamID(grant.team).map { ($0, grant.role) } }
                if let existing {
                    let excluded = Set(settings.excludeFromUpdate)
                    for (field, value) in desired where !excluded.contains(field) && !value.isEmpty {
                        let current = existing.field(field)
                        let same = field == "email" || field == "time_zone" ? current?.lowercased() == value.lowercased() : current == value
                        // The account owner's role is PagerDuty's to change, not ours.
                        if !same && !(field == "role" && existing.role == "owner") {
                            item.changes.append(FieldChange(field: field, before: current, after: value))
                        }
                    }
                    for (team, role) in grants where existing.teams[team] != role {
                        item.teams.append(TeamChange(teamID: team, role: role, teamName: input.teamNames[team]))
                    }
                    let granted = Set(grants.map(\.0))
                    for team in existing.teams.keys.sorted() where managedTeams.contains(team) && !granted.contains(team) {
                        item.teams.append(TeamChange(teamID: team, role: nil, teamName: input.teamNames[team]))
                    }
                    item.action = item.changes.isEmpty && item.teams.isEmpty ? .noChange : .update
                    item.stage = item.action == .update ? .update : nil
                } else {
                    let rehire = linkedID != nil || input.previouslyTerminated.contains(employee.employeeID)
                    item.action = rehire ? .rehire : .create
                    item.stage = rehire ? .rehire : .hire
                    item.changes = desired.filter { !$0.value.isEmpty }.map { FieldChange(field: $0.field, before: nil, after: $0.value) }
                    item.teams = grants.map { TeamChange(teamID: $0.0, role: $0.1, teamName: input.teamNames[$0.0]) }
                    item.license = rule?.license
                }
            }
            if let stage = item.stage, !stages.contains(stage) {
                item.reason = "the \(stage.rawValue) stage is not enabled" + (item.reason.map { " (\($0))" } ?? "")
                item.action = .skip
                item.stage = nil
                item.changes = []
                item.teams = []
                item.protected = false
            }
            items.append(item)
        }

        // The termination guard: too many deletions at once waits for a person, whatever the mode.
        let deletions = items.filter { $0.action == .delete && !$0.protected }.count
        // A single termination never trips the share: small accounts would hold every one.
        let share = max(1, Int((Double(matchedUsers) * settings.terminationThresholdPercent / 100).rounded(.down)))
        let limit = min(share, settings.terminationThresholdCount)
        let held = deletions > 0 && deletions > limit
        if held {
            for index in items.indices where items[index].action == .delete && !items[index].protected {
                items[index].held = true
                items[index].reason = (items[index].reason ?? "") + "; held: \(deletions) terminations exceed the guard of \(limit)"
            }
        }
        return Plan(items: items, terminationsHeld: held, provisionedUsers: matchedUsers)
    }

    static func desiredFields(_ employee: Employee, role: String, mapping: ProvisioningSettings.AttributeMapping,
                              zones: inout [String: Bool]) -> [(field: String, value: String)] {
        var fields = mapping.templates.map { ($0.field, Template.render($0.template, employee)) }
        if let index = fields.firstIndex(where: { $0.0 == "email" }) { fields[index].1 = fields[index].1.lowercased() }
        if let index = fields.firstIndex(where: { $0.0 == "time_zone" }) {
            let zone = fields[index].1
            let valid = zones[zone] ?? { let valid = TimeZone(identifier: zone) != nil; zones[zone] = valid; return valid }()
            if !valid { fields[index].1 = "" }
        }
        fields.append(("role", role))
        return fields
    }
}

extension ProvisioningPlanner.AccountUser {
    func field(_ name: String) -> String? {
        switch name {
        case "name": self.name
        case "email": email
        case "job_title": jobTitle
        case "time_zone": timeZone
        case "description": description
        case "role": role
        default: nil
        }
    }
}
