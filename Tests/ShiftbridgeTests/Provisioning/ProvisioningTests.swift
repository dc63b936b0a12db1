import Fluent
import Foundation
import PagerDutyEmulator
import PagerDutyKit
@testable import Shiftbridge
import ShiftbridgeCore
import Testing
import Vapor
import VaporTesting

/// HR-driven provisioning end to end: the app's API, over loopback, against the emulator's
/// demo account (teams Platform and Payments; open incidents and schedules that block).
@Suite struct ProvisioningTests {
    typealias Run = ProvisioningAPIController.RunDTO
    typealias Import = ProvisioningAPIController.ImportDTO

    struct Fixture {
        let app: Application
        let emulator: EmulatorServer
        let api: RotationsTests.API
        let pd: PagerDutyClient

        func importCSV(_ text: String) async throws -> APIClient.Reply {
            var headers: HTTPHeaders = ["Authorization": "Bearer \(api.token)"]
            headers.contentType = HTTPMediaType(type: "text", subType: "csv")
            let response = try await app.testing().sendRequest(.POST, "/api/v1/provisioning/imports", headers: headers, body: ByteBuffer(string: text))
            return APIClient.Reply(status: response.status, text: response.body.string, response: response)
        }

        func put(_ path: String, _ json: [String: Any]) async throws -> APIClient.Reply {
            try await api.call(.PUT, path, json)
        }

        /// Starts a run and applies it here until nothing of it is left to apply.
        func run(dryRun: Bool = false) async throws -> Run {
            let started = try await api.call(.POST, "/api/v1/provisioning/runs", ["dry_run": dryRun])
            #expect(started.status == .created, "\(started.text)")
            let id = try #require(try started.decode(Run.self).id)
            try await app.applyProvisioning(id)
            return try await api.get("/api/v1/provisioning/runs/\(id)", as: Run.self)
        }

        func decide(_ run: Run, _ verb: String, _ body: [String: Any]) async throws -> Run {
            let id = try #require(run.id)
            let answer = try await api.call(.POST, "/api/v1/provisioning/runs/\(id)/\(verb)", body)
            #expect(answer.status == .ok, "\(answer.text)")
            try await app.applyProvisioning(id)
            return try await api.get("/api/v1/provisioning/runs/\(id)", as: Run.self)
        }

        func employees() async throws -> [ProvisioningAPIController.EmployeeDTO] {
            try await api.get("/api/v1/provisioning/employees", as: [String: [ProvisioningAPIController.EmployeeDTO]].self)["employees"] ?? []
        }

        func emulator(_ method: String, _ path: String, _ json: Any? = nil) async throws -> [String: Any] {
            let reply = try await AsyncHTTPClientTransport().send(TransportRequest(
                method: method, url: emulator.baseURL + path, headers: [("Content-Type", "application/json")],
                body: try json.map { try JSONSerialization.data(withJSONObject: $0) }))
            return (try? JSONSerialization.jsonObject(with: reply.body)) as? [String: Any] ?? [:]
        }

        func pagerDutyUser(_ email: String) async throws -> PDUser? {
            try await pd.users().collect().first { $0.email?.lowercased() == email }
        }

        func count(_ email: String) async throws -> Int {
            try await pd.users().collect().filter { $0.email?.lowercased() == email }.count
        }
    }

    static let header = "employee_id,email,first_name,last_name,status,start_date,termination_date,department,title,manager_email,location,time_zone"
    /// Maya Nguyen and Alex Nguyen exist in the demo account: Maya holds an open incident.
    static let staff = [
        "E1,ann@corp.example,Ann,Lee,active,2026-01-05,,Platform,Engineer,,Berlin,Europe/Berlin",
        "E2,ben@corp.example,Ben,Wu,active,2026-01-05,,Payments,Tech Lead,,London,Europe/London",
        "E3,cat@corp.example,Cat,Ng,active,2026-01-05,,Platform,SRE,,Berlin,Europe/Berlin",
        "E4,maya.nguyen@shiftbridge-demo.example,Maya,Nguyen,active,2020-01-01,,Payments,Engineer,,,",
    ]

    static var rules: [String: Any] { [
        "default_role": "limited_user",
        "rules": [
            ["name": "Payments leads", "role": "admin", "teams": [["team": "Payments", "role": "manager"]],
             "when": ["all": [["attribute": "department", "operator": "equals", "value": "payments"],
                              ["any": [["attribute": "title", "operator": "contains", "value": "lead"], ["attribute": "title", "operator": "starts_with", "value": "head"]]]]]],
            ["name": "Platform", "role": "user", "teams": [["team": "Platform", "role": "responder"]],
             "when": ["attribute": "department", "operator": "in", "values": ["Platform", "SRE"]]],
        ],
    ] }

    func withProvisioning(_ database: TestDatabase = .sqlite, mode: String = "autopilot", _ body: (Fixture) async throws -> Void) async throws {
        let emulator = try await EmulatorServer.start(port: 0, seed: .demo)
        do {
            try await withTestApp(database) { app in
                try await app.createAdmin()
                let token = try await app.issueToken(email: "ops@example.com", name: "t")
                let key = emulator.state.createAPIKey(readOnly: false)
                _ = try await app.services.pagerDutyConnector(app.db).connect(apiKey: key, region: .us, baseURL: emulator.baseURL, actor: "test")
                let fixture = Fixture(app: app, emulator: emulator, api: .init(app: app, token: token),
                                      pd: PagerDutyClient(credential: .apiKey(emulator.state.createAPIKey(readOnly: true)), configuration: .init(baseURL: emulator.baseURL)))
                #expect(try await fixture.put("/api/v1/provisioning/rules", Self.rules).status == .ok)
                let settings = try await fixture.put("/api/v1/provisioning/settings", ["mode": mode, "protected_users": ["owner@shiftbridge-demo.example"],
                                                                                        "termination_threshold_percent": 100, "termination_threshold_count": 100])
                #expect(settings.status == .ok, "\(settings.text)")
                try await body(fixture)
            }
        } catch {
            await emulator.shutdown()
            throw error
        }
        await emulator.shutdown()
    }

    @Test func aBadFileIsRejectedWholeAndImportsKeepHistory() async throws {
        try await withProvisioning { f in
            let bad = try await f.importCSV(Self.header + "\nE1,ann@corp.example,Ann,Lee,hired,2026-13-01,,Platform,Engineer,,,\nE1,ann@corp.example,Ann,Lee,active,,,,,,,\n")
            #expect(bad.status == .unprocessableEntity)
            let problems = try bad.error.problems ?? []
            #expect(problems.compactMap(\.line) == [2, 2, 3, 3])
            #expect(problems.contains { $0.message.contains("'hired' is not one of") })
            #expect(try await f.employees().isEmpty)

            let first = try await f.importCSV(([Self.header] + Self.staff).joined(separator: "\n"))
            #expect(first.status == .created)
            #expect(try first.decode(Import.self).added == 4)
            var changed = Self.staff
            changed[0] = changed[0].replacingOccurrences(of: "Engineer", with: "Senior Engineer")
            let second = try await f.importCSV(([Self.header] + changed.dropLast()).joined(separator: "\n"))
            let counts = try second.decode(Import.self)
            #expect(counts.changed == 1 && counts.unchanged == 2 && counts.absent == 1)
            let history = try await f.api.get("/api/v1/provisioning/employees/E1/history", as: [String: [ProvisioningAPIController.HistoryDTO]].self)["history"] ?? []
            #expect(history.count == 2)
            #expect(history.first?.data?.title == "Senior Engineer")
            // The people directory is fed from the same employees.
            let people = try await f.api.get("/api/v1/people", as: PeopleAPIController.PeopleList.self).people
            #expect(people.contains { $0.email == "ann@corp.example" })
            // A JSON body is refused with what to send instead.
            #expect(try await f.api.call(.POST, "/api/v1/provisioning/imports", ["x": 1]).status == .unsupportedMediaType)
        }
    }

    @Test func invalidRulesAndSettingsAreRefusedWithMessages() async throws {
        try await withProvisioning { f in
            let rules = try await f.put("/api/v1/provisioning/rules", ["rules": [["name": "x", "role": "boss", "when": ["attribute": "title", "operator": "matches", "value": "("]]]])
            #expect(rules.status == .unprocessableEntity)
            #expect(rules.text.contains("role 'boss'") && rules.text.contains("not a valid regular expression"))
            let unknown = try await f.put("/api/v1/provisioning/rules", ["rules": [["name": "x", "when": ["attribute": "title", "operator": "like", "value": "a"]]]])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("starts_with"))
            let settings = try await f.put("/api/v1/provisioning/settings", ["mode": "supervised", "time_zone": "Moon/Base", "exclude_from_update": ["salary"]])
            #expect(settings.status == .unprocessableEntity && settings.text.contains("Moon") && settings.text.contains("salary"), "\(settings.text)")
            // Nothing of a refused document is kept.
            #expect(try await f.api.get("/api/v1/provisioning/settings", as: ProvisioningSettings.self).mode == .autopilot)
            // The live preview counts each rule's employees.
            _ = try await f.importCSV(([Self.header] + Self.staff).joined(separator: "\n"))
            let preview = try (try await f.api.call(.POST, "/api/v1/provisioning/rules/preview", Self.rules)).decode(ProvisioningAPIController.PreviewDTO.self)
            #expect(preview.rules.map(\.matches) == [1, 2])
            #expect(preview.unmatched == 1 && preview.roles == ["admin": 1, "user": 2, "limited_user": 1])
        }
    }

    @Test func supervisedRunsWaitForApprovalThenApplyAndReport() async throws {
        try await withProvisioning(mode: "supervised") { f in
            _ = try await f.importCSV(([Self.header] + Self.staff.prefix(3)).joined(separator: "\n"))
            _ = try await f.emulator("POST", "/_emulator/stats/reset")
            let dry = try await f.run(dryRun: true)
            #expect(dry.status == .planned)
            #expect(dry.items?.map(\.action) == [.create, .create, .create])
            let writes = (try await f.emulator("GET", "/_emulator/stats")["by_method"] as? [String: Int]) ?? [:]
            #expect(writes["POST"] == nil && writes["PUT"] == nil && writes["DELETE"] == nil)

            let run = try await f.run()
            #expect(run.status == .pendingApproval)
            #expect(try await f.pagerDutyUser("ann@corp.example") == nil)
            let cat = try #require(run.items?.first { $0.email == "cat@corp.example" }?.id)
            let afterReject = try await f.decide(run, "reject", ["item_ids": [cat.uuidString]])
            #expect(afterReject.report.pendingApproval == 2)
            let done = try await f.decide(run, "approve", ["all": true])
            #expect(done.status == .completed)
            let report = done.report
            #expect(report.total == 3 && report.processed == 2 && report.failed == 0 && report.rejected == 1)
            #expect(done.progress.percent == 100)

            let ben = try #require(try await f.pagerDutyUser("ben@corp.example"))
            #expect(ben.role == "admin" && ben.name == "Ben Wu" && ben.jobTitle == "Tech Lead" && ben.timeZone == "Europe/London")
            let payments = try #require(try await f.pd.teams().collect().first { $0.name == "Payments" })
            #expect(try await f.pd.teamMembers(teamID: payments.id).collect().contains { $0.user.id == ben.id && $0.role == "manager" })
            #expect(try await f.pagerDutyUser("cat@corp.example") == nil)
            #expect(try await AuditEvent.query(on: f.app.db).filter(\.$action == .provisioningCreated).count() == 2)
        }
    }

    @Test func hireUpdateRoleTeamTerminateWithBlockersAndRehire() async throws {
        try await lifecycle(.sqlite)
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil, TestDatabase.postgresSkipReason))
    func hireUpdateRoleTeamTerminateWithBlockersAndRehireOnPostgres() async throws {
        try await lifecycle(.postgres)
    }

    func lifecycle(_ database: TestDatabase) async throws {
        try await withProvisioning(database) { f in
            _ = try await f.importCSV(([Self.header] + Self.staff).joined(separator: "\n"))
            let first = try await f.run()
            #expect(first.status == .completed, "\(first)")
            // Maya already existed in PagerDuty: matched by email, her role follows the default rule.
            let actions = Dictionary(uniqueKeysWithValues: (first.items ?? []).map { ($0.email, $0.action) })
            #expect(actions["ann@corp.example"] == .create && actions["maya.nguyen@shiftbridge-demo.example"] == .update)
            let oldCat = try #require(try await f.pagerDutyUser("cat@corp.example")?.id)

            // Nothing changed: the run only reads.
            _ = try await f.emulator("POST", "/_emulator/stats/reset")
            let quiet = try await f.run()
            #expect(quiet.report.noChange == 4)
            let methods = (try await f.emulator("GET", "/_emulator/stats")["by_method"] as? [String: Int]) ?? [:]
            #expect(Set(methods.keys) == ["GET"])

            // Ann's title changes; Ann moves to Payments as a lead (role and team change);
            // Cat and Maya leave; Maya holds an open incident, so her deletion is blocked.
            let changed = [
                "E1,ann@corp.example,Ann,Lee,active,2026-01-05,,Payments,Head of Payments,,Berlin,Europe/Berlin",
                "E2,ben@corp.example,Ben,Wu,active,2026-01-05,,Payments,Tech Lead,,London,Europe/London",
                "E3,cat@corp.example,Cat,Ng,terminated,2026-01-05,2026-02-01,Platform,SRE,,Berlin,Europe/Berlin",
                "E4,maya.nguyen@shiftbridge-demo.example,Maya,Nguyen,terminated,2020-01-01,2026-02-01,Payments,Engineer,,,",
            ]
            _ = try await f.importCSV(([Self.header] + changed).joined(separator: "\n"))
            let second = try await f.run()
            let items = Dictionary(uniqueKeysWithValues: (second.items ?? []).map { ($0.email, $0) })
            let ann = try #require(items["ann@corp.example"])
            #expect(ann.action == .update && ann.state == .done)
            #expect(Set(ann.changes.map(\.field)) == ["job_title", "role"])
            #expect(ann.teams.count == 2)  // joins Payments, leaves Platform
            #expect(items["cat@corp.example"]?.state == .done)
            let maya = try #require(items["maya.nguyen@shiftbridge-demo.example"])
            #expect(maya.state == .blocked)
            #expect(maya.blockers?.contains("open incident") == true)
            #expect(try await f.pagerDutyUser("cat@corp.example") == nil)
            #expect(try await f.pagerDutyUser("maya.nguyen@shiftbridge-demo.example") != nil)
            let annUser = try #require(try await f.pagerDutyUser("ann@corp.example"))
            #expect(annUser.role == "admin" && annUser.jobTitle == "Head of Payments")
            #expect(second.report.blocked == 1)
            // No DELETE was sent for Maya: the blocker was found first.
            #expect(try await AuditEvent.query(on: f.app.db).filter(\.$action == .provisioningDeleteFailed).count() == 0)

            // Cat is rehired: a new PagerDuty user, remembered against the employee.
            var rehired = changed
            rehired[2] = "E3,cat@corp.example,Cat,Ng,active,2026-03-01,,Platform,SRE,,Berlin,Europe/Berlin"
            _ = try await f.importCSV(([Self.header] + rehired).joined(separator: "\n"))
            let third = try await f.run()
            let rehire = third.items?.first { $0.email == "cat@corp.example" }
            #expect(rehire?.action == .rehire && rehire?.stage == .rehire && rehire?.state == .done)
            let newCat = try #require(try await f.pagerDutyUser("cat@corp.example")?.id)
            #expect(newCat != oldCat)
            #expect(try await EmployeeRecord.query(on: f.app.db).filter(\.$employeeID == "E3").first()?.pagerDutyUserID == newCat)
        }
    }

    @Test func tooManyTerminationsWaitForApprovalEvenOnAutopilot() async throws {
        try await withProvisioning { f in
            _ = try await f.put("/api/v1/provisioning/settings", ["termination_threshold_percent": 10, "termination_threshold_count": 25])
            _ = try await f.importCSV(([Self.header] + Self.staff.prefix(3)).joined(separator: "\n"))
            _ = try await f.run()
            let leaving = Self.staff.prefix(3).map { $0.replacingOccurrences(of: ",active,", with: ",terminated,") }
            _ = try await f.importCSV(([Self.header] + leaving).joined(separator: "\n"))
            let run = try await f.run()
            #expect(run.status == .pendingApproval && run.terminations_held)
            #expect(try await f.pagerDutyUser("ann@corp.example") != nil)
            let done = try await f.decide(run, "approve", ["all": true])
            #expect(done.report.deleted == 3)
            #expect(try await f.pagerDutyUser("ann@corp.example") == nil)
        }
    }

    @Test(arguments: [TestDatabase.sqlite] + (TestDatabase.postgresURL == nil ? [] : [TestDatabase.postgres]))
    func applyingResumesAfterACrashWithoutDuplicates(_ database: TestDatabase) async throws {
        try await withProvisioning(database, mode: "supervised") { f in
            _ = try await f.importCSV(([Self.header] + Self.staff.prefix(3)).joined(separator: "\n"))
            let run = try await f.run()
            let runID = try #require(run.id)
            // A crash mid-apply: Ann's item was marked applying and her create reached
            // PagerDuty, but the process died before it saw the answer.
            let items = try await ProvisioningItem.query(on: f.app.db).filter(\.$run.$id == runID).all()
            for item in items {
                item.state = item.email == "ann@corp.example" ? .applying : .approved
                try await item.save(on: f.app.db)
            }
            let writer = PagerDutyClient(credential: .apiKey(f.emulator.state.createAPIKey(readOnly: false)),
                                         configuration: .init(baseURL: f.emulator.baseURL, fromEmail: "owner@shiftbridge-demo.example"))
            _ = try await writer.createUser(PDUserInput(name: "Ann Lee", email: "ann@corp.example"))
            let stored = try #require(try await ProvisioningRun.find(runID, on: f.app.db))
            stored.status = .running
            try await stored.save(on: f.app.db)
            // On restart the resumer picks the run up.
            await f.app.runJobPass("provisioning-apply")
            try await f.app.applyProvisioning(runID)
            let done = try await f.api.get("/api/v1/provisioning/runs/\(runID)", as: Run.self)
            #expect(done.status == .completed)
            #expect(done.report.processed == 3)
            for email in ["ann@corp.example", "ben@corp.example", "cat@corp.example"] { #expect(try await f.count(email) == 1) }
            #expect(try await EmployeeRecord.query(on: f.app.db).filter(\.$employeeID == "E1").first()?.pagerDutyUserID != nil)
        }
    }

    @Test func faultsInPagerDutyConvergeWithoutDuplicatesOrWrongDeletions() async throws {
        try await withProvisioning { f in
            let employees = (1...30).map { "F\($0),f\($0)@corp.example,F,N\($0),active,,,Platform,Engineer,,,Etc/UTC" }
            _ = try await f.importCSV(([Self.header] + employees).joined(separator: "\n"))
            // A third of writes fail; half of those after taking effect (the answer is lost).
            _ = try await f.emulator("POST", "/_emulator/faults", ["rate": 0.3, "kinds": ["500"], "paths": ["/users", "/teams"], "when": "after"])
            var rounds = 0
            var last: Run?
            repeat {
                last = try await f.run()
                rounds += 1
            } while (last?.report.noChange ?? 0) < 30 && rounds < 8
            _ = try await f.emulator("DELETE", "/_emulator/faults")
            #expect(last?.report.noChange == 30, "\(rounds) rounds: \(String(describing: last?.report))")
            for index in 1...30 { #expect(try await f.count("f\(index)@corp.example") == 1) }
            // The demo account's own users were never touched.
            #expect(try await f.pd.users().collect().count == 60 + 30)
        }
    }

    @Test func scheduledRunsStartOnTheirOwnOnePerInterval() async throws {
        try await withProvisioning { f in
            _ = try await f.importCSV(([Self.header] + Self.staff.prefix(2)).joined(separator: "\n"))
            #expect(try await f.app.services.provisioningApplier(f.app.db).startScheduledRun() == nil)  // not scheduled
            #expect(try await f.put("/api/v1/provisioning/settings", ["run_every_minutes": 1]).status == .unprocessableEntity)
            #expect(try await f.put("/api/v1/provisioning/settings", ["run_every_minutes": 60]).status == .ok)
            let run = try #require(try await f.app.services.provisioningApplier(f.app.db).startScheduledRun())
            try await f.app.applyProvisioning(try run.requireID())
            #expect(try await f.pagerDutyUser("ann@corp.example") != nil)
            // Within the hour, no second run.
            #expect(try await f.app.services.provisioningApplier(f.app.db).startScheduledRun() == nil)
            #expect(try await ProvisioningRun.query(on: f.app.db).count() == 1)
        }
    }

    @Test func runsNeedAWritableConnection() async throws {
        try await withProvisioning { f in
            _ = try await f.app.services.pagerDutyConnector(f.app.db).connect(apiKey: f.emulator.state.createAPIKey(readOnly: true), region: .us, baseURL: f.emulator.baseURL, actor: "test")
            let refused = try await f.api.call(.POST, "/api/v1/provisioning/runs", ["dry_run": false])
            #expect(refused.status == .conflict && refused.text.contains("read-only"))
            // A dry run only reads, so a read-only key is enough.
            #expect(try await f.api.call(.POST, "/api/v1/provisioning/runs", ["dry_run": true]).status == .created)
        }
    }

    @Test func theDashboardImportsPlansAndApproves() async throws {
        try await withProvisioning(mode: "supervised") { f in
            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let page = try await browser.request(.GET, "/provisioning")
            #expect(page.status == .ok && page.body.string.contains("id=\"rules-json\"") && page.body.string.contains("Payments leads"))
            let csrf = try browser.csrfToken(from: page)
            // A multipart upload of a bad file lists its problems by line.
            let boundary = "XBOUNDARY"
            func multipart(_ csv: String) -> ByteBuffer {
                ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hr.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n")
            }
            var headers: HTTPHeaders = ["Content-Type": "multipart/form-data; boundary=\(boundary)"]
            headers.replaceOrAdd(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
            let bad = try await f.app.testing().sendRequest(.POST, "/provisioning/import", headers: headers, body: multipart("employee_id,email\nE1,x\n"))
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("missing column(s)"))
            let good = try await f.app.testing().sendRequest(.POST, "/provisioning/import", headers: headers,
                                                             body: multipart(([Self.header] + Self.staff.prefix(2)).joined(separator: "\n")))
            #expect(good.status == .seeOther || good.status == .found)
            let planned = try await browser.request(.POST, "/provisioning/runs", form: ["_csrf": csrf, "dry_run": "0"])
            let location = try #require(planned.headers.first(name: .location))
            let runPage = try await browser.request(.GET, location)
            #expect(runPage.body.string.contains("ann@corp.example") && runPage.body.string.contains("pending approval"))
            let decided = try await browser.request(.POST, location + "/decide", form: ["_csrf": csrf, "decision": "approve_all"])
            #expect(decided.status == .seeOther || decided.status == .found)
            try await f.app.applyProvisioning(UUID(uuidString: String(location.split(separator: "/").last!))!)
            let after = try await browser.request(.GET, location)
            #expect(after.body.string.contains("data-report=\"processed\">2<"))
        }
    }
}
