import Foundation
import PagerDutyEmulator
import Shiftbridge
import SlackEmulator
import ShiftbridgeCore
import Vapor

/// `shiftbridge demo [--hostname H] [--port P]`: the app on an embedded SQLite under
/// `./data/demo`, with an administrator whose password is new on every start, an emulated
/// PagerDuty with the demo account, and sample rotations and HR data.
enum Demo {
    static let dataDirectory = "./data/demo"
    static let adminEmail = "admin@demo.shiftbridge.local"

    /// Prepares the demo and returns the arguments that start the server.
    static func prepare(_ app: Application, options: DemoOptions, executable: String) async throws -> [String] {
        let driver = AppDriver(app)
        let password = [UInt8].random(count: 12).base64String()
            .replacingOccurrences(of: "/", with: "x").replacingOccurrences(of: "+", with: "y")
        try await driver.ensureAdministrator(email: adminEmail, password: password, actor: "demo")
        try await loadSampleRotation(driver)

        // The demo's PagerDuty: an emulator with the demo account, on the next port.
        let emulator = try await EmulatorServer.start(port: options.port + 1, seed: .demo)
        app.lifecycle.use(EmulatorLifecycle(server: emulator))
        let fullKey = emulator.state.createAPIKey(readOnly: false)
        try await driver.connectPagerDuty(apiKey: fullKey, baseURL: emulator.baseURL, actor: "demo")
        try await bindSampleRotation(driver)
        let sampleCSV = try await loadSampleProvisioning(driver)
        let slack = try await startSlack(app, driver, port: options.port + 2)

        let shownHost = options.hostname == "0.0.0.0" ? "127.0.0.1" : options.hostname
        print("""

        ┌─ Shiftbridge demo ─────────────────────────────────────────
        │ Open      http://\(shownHost):\(options.port)/
        │ Email     \(adminEmail)
        │ Password  \(password)
        │ Data      \(dataDirectory) (embedded SQLite)
        │ PagerDuty \(emulator.baseURL) (emulator, demo account: 60 users, 8 schedules)
        │ Connected with API key …\(fullKey.suffix(4)) (Settings → Integrations)
        │ Slack     \(slack.server.baseURL)/_emulator/ (emulator: @platform-oncall, #platform)
        │           DEMO-PRIMARY keeps the group, topic and messages; /oncall signing secret …\(slack.signingSecret.suffix(4))
        │ HR export \(sampleCSV) (Provisioning → Import, or shiftbridge provision import)
        └─ Press Ctrl-C to stop. ─────────────────────────────────────

        """)
        // Shown at once even when the output goes to a pipe or a log.
        fflush(nil)
        return [executable, "serve", "--hostname", options.hostname, "--port", "\(options.port)"]
    }

    /// The demo's Slack: an emulated workspace with the demo people, `#platform` and
    /// `@platform-oncall`, connected, with DEMO-PRIMARY's outputs pointed at them.
    static func startSlack(_ app: Application, _ driver: AppDriver, port: Int) async throws -> (server: SlackEmulatorServer, signingSecret: String) {
        let server = try await SlackEmulatorServer.start(port: port, seed: .demo)
        app.lifecycle.use(SlackEmulatorLifecycle(server: server))
        let token = server.workspace.createToken(kind: "bot", scopes: SlackWorkspace.productScopes)!
        let signingSecret = [UInt8].random(count: 16).map { String(format: "%02x", $0) }.joined()
        try await driver.connectSlack(botToken: token, baseURL: server.apiBaseURL, signingSecret: signingSecret, actor: "demo")
        let platform = server.workspace.channel(named: "platform")
        try await driver.setSlackOutputs(code: "DEMO-PRIMARY", onDutyUsergroup: "platform-oncall", channel: platform,
                                         topicTemplate: "On duty: {on_duty} until {until} · next {next}",
                                         handoffMessageTemplate: ":rotating_light: {rotation}: {previous} handed over to {on_duty} (until {until})",
                                         dmBeforeMinutes: 15, actor: "demo")
        return (server, signingSecret)
    }

    /// A few people and a rotation handing over on weekdays, on the first run only.
    static func loadSampleRotation(_ driver: AppDriver) async throws {
        guard try await driver.rotationCount == 0 else { return }
        let sample = [("Alex Nguyen", "alex.nguyen@shiftbridge-demo.example", "Europe/London"),
                      ("Blake Okafor", "blake.okafor@shiftbridge-demo.example", "America/New_York"),
                      ("Casey Silva", "casey.silva@shiftbridge-demo.example", "Europe/Berlin")]
        for (name, email, zone) in sample { try await driver.addPerson(email: email, name: name, timeZone: zone, actor: "demo") }
        try await driver.createRotation(code: "DEMO-PRIMARY", name: "Demo primary", description: "Hands over every weekday at 09:00 London time.",
                                        members: sample.map(\.1), owner: adminEmail)
        try await driver.setSchedule(code: "DEMO-PRIMARY", .customDays([1, 2, 3, 4, 5], at: TimeOfDay(hour: 9, minute: 0)!, timeZone: "Europe/London"),
                                     by: adminEmail)
    }

    /// A rotation that follows the emulator's "Platform Primary" schedule. The emulator
    /// starts afresh each run, so the binding is renewed each run too.
    static func bindSampleRotation(_ driver: AppDriver) async throws {
        guard let schedule = try await driver.pagerDutySchedules(matching: "Platform Primary").first else { return }
        if !(try await driver.rotationExists(code: "PLATFORM")) {
            try await driver.createRotation(code: "PLATFORM", name: "Platform primary", description: "Follows the PagerDuty schedule “Platform Primary”.",
                                            owner: adminEmail)
        }
        try await driver.setSchedule(code: "PLATFORM", .pagerDuty(scheduleID: schedule.id), by: adminEmail)
    }

    /// An HR export to try provisioning with, and rules for it (rules on the first run only).
    /// Two demo-account engineers are matched by email, one leaves, one is a new hire.
    static func loadSampleProvisioning(_ driver: AppDriver) async throws -> String {
        let path = dataDirectory + "/hr-sample.csv"
        let csv = """
            employee_id,email,first_name,last_name,status,start_date,termination_date,department,title,manager_email,location,time_zone
            D1,alex.nguyen@shiftbridge-demo.example,Alex,Nguyen,active,2024-02-01,,Platform,Engineer,,London,Europe/London
            D2,blake.nguyen@shiftbridge-demo.example,Blake,Nguyen,active,2023-06-12,,Payments,Payments Lead,,New York,America/New_York
            D3,robin.demo@shiftbridge-demo.example,Robin,Demo,active,2026-01-05,,Platform,SRE,alex.nguyen@shiftbridge-demo.example,Berlin,Europe/Berlin
            D4,quinn.nguyen@shiftbridge-demo.example,Quinn,Nguyen,terminated,2022-03-01,2026-01-31,Mobile,Engineer,,Tokyo,Asia/Tokyo

            """
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        if !(try await driver.hasProvisioningRules) {
            let rules = #"{"default_role":"limited_user","rules":[{"name":"Payments leads","role":"admin","teams":[{"team":"Payments","role":"manager"}],"when":{"all":[{"attribute":"department","operator":"equals","value":"payments"},{"attribute":"title","operator":"contains","value":"lead"}]}},{"name":"Platform","role":"user","teams":[{"team":"Platform","role":"responder"}],"when":{"attribute":"department","operator":"in","values":["Platform","SRE"]}}]}"#
            try await driver.saveProvisioningRules(rules, actor: "demo")
        }
        return path
    }
}
