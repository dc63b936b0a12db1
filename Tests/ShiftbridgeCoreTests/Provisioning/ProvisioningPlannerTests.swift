import Foundation
import ShiftbridgeCore
import Testing

@Suite struct CSVAndImportTests {
    @Test func csvHandlesQuotesDelimitersAndLineEnds() throws {
        let rows = try CSV.parse("\u{FEFF}a;b;c\r\n\"x;1\";\"say \"\"hi\"\"\";\n\n\"multi\nline\";2;3\n", delimiter: ";")
        #expect(rows.map(\.fields) == [["a", "b", "c"], ["x;1", "say \"hi\"", ""], ["multi\nline", "2", "3"]])
        #expect(rows.map(\.line) == [1, 2, 4])
        #expect(throws: CSV.Failure.self) { try CSV.parse("a,b\n\"open,2\n") }
        #expect(throws: CSV.Failure.self) { try CSV.parse("a,b\nx\"y,2\n") }
    }

    static let header = "employee_id,email,first_name,last_name,status,start_date,termination_date,department,title,manager_email,location,time_zone,cost_center"

    @Test func theDefaultColumnsImportWithExtrasKept() throws {
        let text = Self.header + "\nE1,Ann@Example.com,Ann,Lee,active,2026-01-05,,Engineering,SRE,boss@example.com,Berlin,Europe/Berlin,CC-7\n"
        let employees = try EmployeeImport.parse(text).get()
        #expect(employees.count == 1)
        #expect(employees[0].email == "ann@example.com" && employees[0].name == "Ann Lee" && employees[0].attribute("cost_center") == "CC-7")
        #expect(employees[0].attribute("department") == "Engineering" && employees[0].status == .active)
        // A full-name column instead of first and last.
        let named = try EmployeeImport.parse("employee_id,email,name,status\nE2,b@example.com,Bo Diddley,leave\n").get()
        #expect(named[0].name == "Bo Diddley" && named[0].status == .leave)
    }

    @Test func everyProblemIsListedByLineAndNothingIsImported() {
        let text = Self.header + """

        E1,ann@example.com,Ann,Lee,active,2026-02-30,,Eng,SRE,,,Mars/Base,
        E1,ann@example.com,Ann,Lee,retired,,,Eng,SRE,,,,
        E3,not-an-email,Cy,Ng,active,,,Eng,SRE,,,,
        E4,dee@example.com,Dee
        """
        guard case .failure(let rejection) = EmployeeImport.parse(text) else { Issue.record("should fail"); return }
        let problems = rejection.problems
        let lines = problems.map(\.line)
        #expect(lines == [2, 2, 3, 3, 3, 4, 5])
        #expect(problems.contains { $0.message.contains("start_date '2026-02-30'") })
        #expect(problems.contains { $0.message.contains("Mars/Base") })
        #expect(problems.contains { $0.message.contains("employee_id E1 is also on line 2") })
        #expect(problems.contains { $0.message.contains("email ann@example.com is also on line 2") })
        #expect(problems.contains { $0.message.contains("'retired' is not one of: active, leave, terminated") })
        #expect(problems.contains { $0.message.contains("has 3 field(s) where the header has 13") })
    }

    @Test func aHeaderMismatchRejectsTheFileNamingTheColumns() {
        guard case .failure(let rejection) = EmployeeImport.parse("id,mail,state\n1,a@b.co,active\n") else { Issue.record("should fail"); return }
        let problems = rejection.problems
        #expect(problems.count == 1 && problems[0].line == 1)
        #expect(problems[0].message.contains("missing column(s): employee_id, email, status, first_name and last_name (or name)"))
        // A configured mapping and delimiter read the same file.
        var columns = ColumnMapping()
        columns.employeeID = "id"
        columns.email = "mail"
        columns.status = "state"
        columns.name = "who"
        var statuses = StatusValues()
        statuses.active = ["A", "Active"]
        #expect((try? EmployeeImport.parse("id;mail;state;who\n1;a@b.co;a;Al\n", columns: columns, delimiter: ";", statuses: statuses).get())?.first?.status == .active)
    }
}

@Suite struct RoleRulesTests {
    let engineer = Employee(employeeID: "1", email: "ann@example.com", firstName: "Ann", lastName: "Lee", department: "Engineering",
                            title: "Engineering Manager", location: "Berlin", attributes: ["level": "L5"])

    func test(_ attribute: String, _ op: Condition.Operator, _ value: String? = nil, values: [String]? = nil, caseSensitive: Bool? = nil) -> Condition {
        .test(.init(attribute: attribute, op: op, value: value, values: values, caseSensitive: caseSensitive))
    }

    @Test func operatorsIgnoreCaseByDefault() {
        #expect(test("department", .equals, "engineering").matches(engineer))
        #expect(!test("department", .equals, "engineering", caseSensitive: true).matches(engineer))
        #expect(test("department", .notEquals, "Sales").matches(engineer))
        #expect(test("title", .contains, "MANAGER").matches(engineer))
        #expect(test("title", .startsWith, "eng").matches(engineer))
        #expect(test("title", .endsWith, "ager").matches(engineer))
        #expect(test("location", .inList, values: ["Paris", "berlin"]).matches(engineer))
        #expect(test("level", .matches, "^l[4-6]$").matches(engineer))
        #expect(test("manager_email", .isEmpty).matches(engineer))
        #expect(!test("title", .isEmpty).matches(engineer))
    }

    @Test func andOrTreesAndFirstMatchWins() throws {
        let json = """
        {"default_role":"limited_user","rules":[
          {"name":"Eng managers","when":{"all":[{"attribute":"department","operator":"equals","value":"Engineering"},
                                                {"any":[{"attribute":"title","operator":"contains","value":"manager"},{"attribute":"level","operator":"in","values":["L7"]}]}]},
           "role":"admin","teams":[{"team":"Platform","role":"manager"}]},
          {"name":"Engineers","when":{"attribute":"department","operator":"equals","value":"Engineering"},"role":"user"}]}
        """
        let rules = try JSONDecoder().decode(RoleRules.self, from: Data(json.utf8))
        #expect(rules.problems().isEmpty)
        #expect(rules.firstMatch(engineer) == 0)
        var ic = engineer
        ic.title = "Engineer"
        #expect(rules.firstMatch(ic) == 1)
        ic.department = "Sales"
        #expect(rules.firstMatch(ic) == nil)
        let preview = rules.preview([engineer, ic], processAll: true)
        #expect(preview.perRule == [1, 0] && preview.unmatched == 1 && preview.roles == ["admin": 1, "limited_user": 1])
        // It round-trips through JSON unchanged.
        #expect(try JSONDecoder().decode(RoleRules.self, from: JSONEncoder().encode(rules)) == rules)
    }

    @Test func invalidRulesAreRefusedWithMessages() throws {
        let json = """
        {"default_role":"boss","rules":[{"name":"","when":{"all":[]},"role":"superuser","teams":[{"team":"X","role":"captain"}]},
          {"name":"r","when":{"attribute":"title","operator":"matches","value":"(unclosed"}},
          {"name":"r","when":{"attribute":"title","operator":"in"}}]}
        """
        let problems = try JSONDecoder().decode(RoleRules.self, from: Data(json.utf8)).problems()
        #expect(problems.contains { $0.contains("default_role 'boss'") })
        #expect(problems.contains { $0.contains("rule 1: give the rule a name") })
        #expect(problems.contains { $0.contains("role 'superuser'") })
        #expect(problems.contains { $0.contains("team role 'captain'") })
        #expect(problems.contains { $0.contains("an empty group") })
        #expect(problems.contains { $0.contains("not a valid regular expression") })
        #expect(problems.contains { $0.contains("another rule has this name") })
        #expect(problems.contains { $0.contains("needs a non-empty list") })
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RoleRules.self, from: Data(#"{"rules":[{"name":"x","when":{"attribute":"a","operator":"like","value":"b"}}]}"#.utf8)) }
    }

    @Test func templatesFillPagerDutyFields() {
        #expect(Template.render("{first_name|upper} {last_name} ({level})", engineer) == "ANN Lee (L5)")
        #expect(Template.render("{missing}", engineer) == "")
        var settings = ProvisioningSettings()
        settings.attributeMapping.name = "{first_name"
        settings.attributeMapping.description = "{department|shout}"
        #expect(settings.problems().count == 2)
    }
}

@Suite struct ProvisioningPlannerTests {
    typealias P = ProvisioningPlanner
    let today = "2026-06-01"
    let teams = ["platform": "T1", "T1": "T1", "payments": "T2", "T2": "T2"]
    var rules: RoleRules {
        RoleRules(rules: [
            .init(name: "Platform", when: .test(.init(attribute: "department", op: .equals, value: "Platform")), role: "user",
                  teams: [.init(team: "Platform", role: "responder")], license: "PLFULL1"),
            .init(name: "Payments leads", when: .all([.test(.init(attribute: "department", op: .equals, value: "Payments")),
                                                       .test(.init(attribute: "title", op: .contains, value: "lead"))]),
                  role: "admin", teams: [.init(team: "Payments", role: "manager")]),
        ], defaultRole: "limited_user")
    }

    func employee(_ id: String, _ department: String, title: String = "Engineer", status: EmploymentStatus = .active,
                  start: String? = nil, end: String? = nil) -> Employee {
        Employee(employeeID: id, email: "e\(id)@example.com", firstName: "E", lastName: id, status: status, startDate: start,
                 terminationDate: end, department: department, title: title, timeZone: "Europe/Berlin")
    }

    func user(_ id: String, role: String = "user", title: String = "Engineer", teams: [String: String] = ["T1": "responder"]) -> P.AccountUser {
        P.AccountUser(id: "P\(id)", name: "E \(id)", email: "e\(id)@example.com", role: role, jobTitle: title, timeZone: "Europe/Berlin", teams: teams)
    }

    func plan(_ employees: [Employee], users: [P.AccountUser], settings: ProvisioningSettings = .init(), links: [String: String] = [:],
              terminated: Set<String> = []) -> P.Plan {
        P.plan(.init(employees: employees, links: links, previouslyTerminated: terminated, users: users, teams: teams, rules: rules,
                     settings: settings, today: today))
    }

    @Test func hireUpdateRoleAndTeamChangesAndNoChange() {
        let result = plan([employee("1", "Platform"), employee("2", "Platform"), employee("3", "Payments", title: "Tech Lead"), employee("4", "Platform", title: "SRE")],
                          users: [user("2"), user("3", role: "user", title: "Tech Lead", teams: ["T1": "responder"]), user("4")])
        let byID = Dictionary(uniqueKeysWithValues: result.items.map { ($0.employeeID, $0) })
        #expect(byID["1"]?.action == .create && byID["1"]?.stage == .hire && byID["1"]?.license == "PLFULL1")
        #expect(byID["1"]?.value("name") == "E 1" && byID["1"]?.value("role") == "user" && byID["1"]?.teams == [.init(teamID: "T1", role: "responder")])
        #expect(byID["2"]?.action == .noChange)
        // A role change, a new team as manager, and the managed team the rule no longer grants removed.
        #expect(byID["3"]?.action == .update && byID["3"]?.changes == [.init(field: "role", before: "user", after: "admin")])
        #expect(byID["3"]?.teams == [.init(teamID: "T2", role: "manager"), .init(teamID: "T1", role: nil)])
        #expect(byID["4"]?.changes == [.init(field: "job_title", before: "Engineer", after: "SRE")])
    }

    @Test func terminationsProtectionAndFutureDates() {
        var settings = ProvisioningSettings()
        settings.protectedUsers = ["E5@example.com"]
        settings.terminationThresholdPercent = 50
        let users = (1...9).map { user("\($0)") } + [user("5", role: "admin")]
        let result = plan([employee("1", "Platform", status: .terminated, end: "2026-05-31"), employee("2", "Platform", status: .terminated, end: "2026-07-01"),
                           employee("5", "Platform", status: .terminated), employee("6", "Platform", start: "2026-09-01"),
                           employee("7", "Platform", status: .terminated), employee("10", "Platform", start: "2026-09-01"),
                           employee("8", "Platform", status: .leave)] + (3...4).map { employee("\($0)", "Platform") },
                          users: users, settings: settings)
        let byID = Dictionary(uniqueKeysWithValues: result.items.map { ($0.employeeID, $0) })
        #expect(byID["1"]?.action == .delete && byID["1"]?.stage == .terminate && byID["1"]?.held == false)
        #expect(byID["2"]?.action == .noChange && byID["2"]?.reason == "terminates on 2026-07-01")
        #expect(byID["5"]?.action == .delete && byID["5"]?.protected == true)
        #expect(byID["6"]?.action == .noChange)  // already in PagerDuty: a future start changes nothing
        #expect(byID["10"]?.action == .skip && byID["10"]?.reason == "starts on 2026-09-01")
        #expect(byID["8"]?.action == .noChange && byID["8"]?.reason?.contains("leave") == true)
        #expect(!result.terminationsHeld)
    }

    @Test func tooManyTerminationsAreHeldWhateverTheMode() {
        var settings = ProvisioningSettings()
        settings.mode = .autopilot
        let employees = (1...20).map { employee("\($0)", "Platform", status: $0 <= 3 ? .terminated : .active) }
        let users = (1...20).map { user("\($0)") }
        // 3 of 20 is more than 10% (2): every termination waits.
        let held = plan(employees, users: users, settings: settings)
        #expect(held.terminationsHeld && held.items.filter(\.held).count == 3)
        settings.terminationThresholdPercent = 20
        #expect(!plan(employees, users: users, settings: settings).terminationsHeld)
        settings.terminationThresholdCount = 2
        #expect(plan(employees, users: users, settings: settings).terminationsHeld)
    }

    @Test func rehireIsANewUserRememberedAgainstTheEmployee() {
        let result = plan([employee("1", "Platform"), employee("2", "Platform")], users: [], links: ["1": "POLD"], terminated: ["2"])
        #expect(result.items.map(\.action) == [.rehire, .rehire])
        #expect(result.items.map(\.stage) == [.rehire, .rehire])
        // Matched by the remembered id first, even when the email changed.
        var moved = employee("3", "Platform")
        moved.email = "new3@example.com"
        let update = plan([moved], users: [user("3")], links: ["3": "P3"])
        #expect(update.items[0].action == .update && update.items[0].changes == [.init(field: "email", before: "e3@example.com", after: "new3@example.com")])
    }

    @Test func onlyRuleMatchesWhenNotProcessingAll() {
        var settings = ProvisioningSettings()
        settings.processAll = false
        let employees = [employee("1", "Sales"), employee("2", "Sales"), employee("3", "Platform")]
        let result = plan(employees, users: [user("2")], settings: settings)
        #expect(result.items.map(\.action) == [.skip, .delete, .create])
        #expect(result.items[1].reason == "matches no rule")
        settings.doNotDeprovisionOnRoleChange = true
        #expect(plan(employees, users: [user("2")], settings: settings).items[1].action == .noChange)
        // Default role when processing everyone.
        #expect(plan(employees, users: [], settings: .init()).items[0].value("role") == "limited_user")
    }

    @Test func disabledStagesAndExcludedFieldsAreLeftAlone() {
        var settings = ProvisioningSettings()
        settings.stages = [.update]
        settings.excludeFromUpdate = ["job_title"]
        let result = plan([employee("1", "Platform"), employee("4", "Platform", title: "SRE"), employee("5", "Platform", status: .terminated)],
                          users: [user("4"), user("5")], settings: settings)
        #expect(result.items.map(\.action) == [.skip, .noChange, .skip])
        #expect(result.items[0].reason?.contains("hire stage is not enabled") == true)
    }
}
