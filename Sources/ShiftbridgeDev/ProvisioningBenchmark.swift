import Fluent
import Foundation
import PagerDutyEmulator
import PagerDutyKit
import ShiftbridgeCore
import Shiftbridge
import Vapor

/// `shiftbridge-bench provisioning`: HR provisioning at scale against the emulator over
/// loopback (release build; see BENCHMARKS.md).
///
/// 1. 10,000 employees, 10,000 PagerDuty users that already match them: time and peak
///    memory to import the CSV and to plan a run (which reads every user), and the requests
///    such a no-change run makes.
/// 2. 1,000 hires applied on autopilot: creates per minute against PagerDuty's 960/minute.
/// 3. 10% of PagerDuty calls failing: runs repeat until nothing is left to do; then every
///    employee is checked in PagerDuty (exists once with the right fields, or is gone).
public enum ProvisioningBenchmark {
    package struct Options: Sendable {
        package var employees = 9999  // with the account owner: 10,000 PagerDuty users
        package var hires = 1000
        package var faultEmployees = 300
        package var faultRate = 0.1
        package init() {}
    }

    package static func run(_ options: Options) async throws {
        try await BenchmarkHarness.withAppAndEmulator { app, emulator in try await measure(app, emulator: emulator, options: options) }
    }

    static let header = "employee_id,email,first_name,last_name,status,start_date,termination_date,department,title,manager_email,location,time_zone"

    static func row(_ index: Int, status: String = "active", title: String = "", email: String? = nil) -> String {
        "E\(index),\(email ?? "person\(index)@scale.example"),Person,\(index),\(status),,,Engineering,\(title),,,Etc/UTC"
    }

    private static func measure(_ app: Application, emulator: EmulatorServer, options: Options) async throws {
        let driver = AppDriver(app)
        let http = AsyncHTTPClientTransport()
        func control(_ method: String, _ path: String, _ json: [String: Any]? = nil) async throws -> [String: Any] {
            let reply = try await http.send(TransportRequest(method: method, url: emulator.baseURL + path, headers: [("Content-Type", "application/json")],
                                                             body: try json.map { try JSONSerialization.data(withJSONObject: $0) }))
            return (try? JSONSerialization.jsonObject(with: reply.body)) as? [String: Any] ?? [:]
        }
        // PagerDuty users named as the employees will be: nothing for a run to change.
        _ = emulator.state.addScale(users: options.employees, schedules: 0, handoff: Date())
        let key = emulator.state.createAPIKey(readOnly: false)
        try await driver.connectPagerDuty(apiKey: key, baseURL: emulator.baseURL, actor: "benchmark")
        try await driver.saveProvisioningSettings(#"{"mode":"autopilot","termination_threshold_percent":100,"termination_threshold_count":100000}"#, actor: "benchmark")

        // 1. Import and plan 10,000 employees.
        let csv = ([header] + (0..<options.employees).map { row($0) }).joined(separator: "\n")
        let baseline = peakMemoryMB()
        var started = Date()
        // Where the time goes: the pure parts alone.
        let parsed = try EmployeeImport.parse(csv).get()
        let parseSeconds = Date().timeIntervalSince(started)
        started = Date()
        let encoder = JSONEncoder()
        for employee in parsed { _ = try encoder.encode(employee) }
        let encodeSeconds = Date().timeIntervalSince(started)
        started = Date()
        let summary = try await driver.importEmployees(Data(csv.utf8), actor: "benchmark")
        let importSeconds = Date().timeIntervalSince(started)
        _ = try await control("POST", "/_emulator/stats/reset")
        started = Date()
        let plan = try await driver.startProvisioningRun(dryRun: false, actor: "benchmark")
        let planSeconds = Date().timeIntervalSince(started)
        let peak = peakMemoryMB()
        let report = try await driver.provisioningReport(plan.id)
        let stats = try await control("GET", "/_emulator/stats")
        // Where the time goes, after the fact (this read waits for the rate limit's budget).
        let snapshot = try await driver.readPagerDutyAccount()
        started = Date()
        let employees = try await driver.currentEmployees()
        let loadSeconds = Date().timeIntervalSince(started)
        started = Date()
        let pure = ProvisioningPlanner.plan(.init(employees: employees, users: snapshot.users, teams: snapshot.teams, rules: RoleRules(),
                                                   settings: try await driver.provisioningSettings(), today: "2026-11-23"))
        let planComputeSeconds = Date().timeIntervalSince(started)
        say(String(format: "parts: CSV parse and check %.2f s; JSON encoding of the employees %.2f s; loading them back %.2f s; the pure plan %.2f s (%d items)",
                   parseSeconds, encodeSeconds, loadSeconds, planComputeSeconds, pure.items.count))
        let methods = stats["by_method"] as? [String: Int] ?? [:]
        let paths = stats["by_path"] as? [String: Int] ?? [:]
        say(String(format: "import: %d employees (%d added) in %.2f s; plan of a run (reads every PagerDuty user, then plans): %.2f s; import + plan %.2f s",
                     summary.rows, summary.added, importSeconds, planSeconds, importSeconds + planSeconds))
        say(String(format: "memory: peak resident %.0f MB before, %.0f MB after import and plan (+%.0f MB; the process also holds the emulator's 10,000 users)",
                     baseline, peak, peak - baseline))
        say("no-change run: \(report.total) employees, \(report.noChange) no change, status \(plan.status.rawValue); PagerDuty requests: \(stats["total"] as? Int ?? 0) "
              + "(\(methods.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))): "
              + paths.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))

        guard options.hires > 0 else { return }
        // 2. 1,000 hires on autopilot. PagerDuty lists at most 10,000 users by offset, so this
        //    starts from an account holding only its owner (the earlier employees are absent
        //    from this file, and absent employees are left alone).
        _ = try await control("POST", "/_emulator/reset", ["seed": "empty"])
        let key2 = emulator.state.createAPIKey(readOnly: false)
        try await driver.connectPagerDuty(apiKey: key2, baseURL: emulator.baseURL, actor: "benchmark")
        let hires = (0..<options.hires).map { row(options.employees + $0, email: "hire\($0)@scale.example") }
        _ = try await driver.importEmployees(Data(([header] + hires).joined(separator: "\n").utf8), actor: "benchmark")
        _ = try await control("POST", "/_emulator/stats/reset")
        let hireRun = try await driver.startProvisioningRun(dryRun: false, actor: "benchmark")
        let applyStarted = Date()
        try await driver.applyProvisioningRun(hireRun.id)
        let applySeconds = Date().timeIntervalSince(applyStarted)
        let hireReport = try await driver.provisioningReport(hireRun.id)
        let hireStats = try await control("GET", "/_emulator/stats")
        let byStatus = hireStats["by_status"] as? [String: Int] ?? [:]
        let perMinute = Double(hireReport.created) / applySeconds * 60
        say(String(format: "%d hires: %d created, %d failed in %.1f s = %.0f creates/min (%.1f%% of 960/min); 429 answers: %d; POST /users sent: %d",
                   options.hires, hireReport.created, hireReport.failed, applySeconds, perMinute, perMinute / 960 * 100, byStatus["429"] ?? 0,
                   (hireStats["by_method"] as? [String: Int])?["POST"] ?? 0))

        // 3. Faults: hires, changes and terminations among those employees while 10% of the
        //    /users calls fail after taking effect (the answer is lost).
        let count = min(options.faultEmployees, options.hires)
        var rows = hires
        var expected: [(email: String, kind: Int)] = []
        for index in 0..<count {
            switch index % 3 {
            case 0:
                rows.append(row(options.employees + options.hires + index, email: "fault\(index)@scale.example"))  // hire
                expected.append(("fault\(index)@scale.example", 0))
            case 1:
                rows[index] = row(options.employees + index, title: "Staff Engineer", email: "hire\(index)@scale.example")  // update
                expected.append(("hire\(index)@scale.example", 1))
            default:
                rows[index] = row(options.employees + index, status: "terminated", email: "hire\(index)@scale.example")  // terminate
                expected.append(("hire\(index)@scale.example", 2))
            }
        }
        _ = try await driver.importEmployees(Data(([header] + rows).joined(separator: "\n").utf8), actor: "benchmark")
        _ = try await control("POST", "/_emulator/stats/reset")
        _ = try await control("POST", "/_emulator/faults", ["rate": options.faultRate, "kinds": ["500"], "paths": ["/users"], "when": "after"])
        var rounds = 0
        var remaining = Int.max
        started = Date()
        while remaining > 0 && rounds < 10 {
            let run = try await driver.startProvisioningRun(dryRun: false, actor: "benchmark")
            try await driver.applyProvisioningRun(run.id)
            rounds += 1
            let result = try await driver.provisioningReport(run.id)
            remaining = result.total - result.noChange - result.skipped
            say("  fault round \(rounds): processed \(result.processed), failed \(result.failed), blocked \(result.blocked)")
        }
        let faultStats = try await control("GET", "/_emulator/stats")
        _ = try await control("DELETE", "/_emulator/faults")
        let users = try await PagerDutyClient(credential: .apiKey(key2), configuration: .init(baseURL: emulator.baseURL)).users().collect()
        var byEmail: [String: [PDUser]] = [:]
        for user in users { byEmail[(user.email ?? "").lowercased(), default: []].append(user) }
        var wrong = 0
        for (email, kind) in expected {
            switch kind {
            case 0: if byEmail[email]?.count != 1 { wrong += 1 }
            case 1: if byEmail[email]?.count != 1 || byEmail[email]?.first?.jobTitle != "Staff Engineer" { wrong += 1 }
            default: if byEmail[email] != nil { wrong += 1 }
            }
        }
        let duplicates = byEmail.values.filter { $0.count > 1 }.count
        let lost = (count..<options.hires).filter { byEmail["hire\($0)@scale.example"]?.count != 1 }.count
        say(String(format: "faults (%.0f%% of /users calls answer 500 after taking effect): converged in %d run(s), %.0f s, %d requests (%d answered 500); employees in the wrong state: %d of %d; duplicate users: %d; users deleted or lost that should stay: %d",
                   options.faultRate * 100, rounds, Date().timeIntervalSince(started), faultStats["total"] as? Int ?? 0,
                   (faultStats["by_status"] as? [String: Int])?["500"] ?? 0, wrong, count, duplicates, lost))
    }

    /// `shiftbridge-bench provisioning-large`: an account beyond PagerDuty's 10,000-user listing
    /// ceiling. Every user matches an employee; the plan reads the list to its ceiling and looks
    /// the rest up one by one. Prints the time, the requests and what the plan decided.
    package static func runLargeAccount(users: Int) async throws {
        try await BenchmarkHarness.withAppAndEmulator { app, emulator in
            let driver = AppDriver(app)
            _ = emulator.state.addScale(users: users - 1, schedules: 0, handoff: Date())
            try await driver.connectPagerDuty(apiKey: emulator.state.createAPIKey(readOnly: false), baseURL: emulator.baseURL, actor: "benchmark")
            try await driver.saveProvisioningSettings(#"{"mode":"autopilot","termination_threshold_percent":100,"termination_threshold_count":100000}"#, actor: "benchmark")
            let csv = ([header] + (0..<(users - 1)).map { row($0) }).joined(separator: "\n")
            _ = try await driver.importEmployees(Data(csv.utf8), actor: "benchmark")
            let http = AsyncHTTPClientTransport()
            _ = try await http.send(TransportRequest(method: "POST", url: emulator.baseURL + "/_emulator/stats/reset"))
            let started = Date()
            let plan = try await driver.startProvisioningRun(dryRun: false, actor: "benchmark")
            let seconds = Date().timeIntervalSince(started)
            let report = try await driver.provisioningReport(plan.id)
            let stats = (try? JSONSerialization.jsonObject(with: try await http.send(TransportRequest(method: "GET", url: emulator.baseURL + "/_emulator/stats")).body)) as? [String: Any] ?? [:]
            let paths = (stats["by_path"] as? [String: Int] ?? [:]).sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            say(String(format: "%d PagerDuty users, %d employees: plan in %.1f s with %d requests (%@); %d employees, %d no change, %d to create; status %@",
                       users, users - 1, seconds, stats["total"] as? Int ?? 0, paths, report.total, report.noChange, report.created, plan.status.rawValue))
        }
    }

    /// The process's peak resident memory so far (Linux `VmHWM`), in MB.
    static func peakMemoryMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
    }
}
