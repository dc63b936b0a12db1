import Fluent
import PagerDutyEmulator
import Vapor

/// `shiftbridge demo [--hostname H] [--port P]`: the app on an embedded SQLite under
/// `./data/demo`, with an administrator whose password is new on every start.
enum Demo {
    static let dataDirectory = "./data/demo"
    static let adminEmail = "admin@demo.shiftbridge.local"

    struct Options {
        var hostname = "127.0.0.1"
        var port = 8080
        /// The demo's PagerDuty emulator listens on the next port.
        var emulatorOrigin: String { "http://127.0.0.1:\(port + 1)" }

        static func parse(_ arguments: [String]) throws -> Options {
            var options = Options()
            var iterator = arguments.makeIterator()
            while let argument = iterator.next() {
                switch argument {
                case "--hostname", "-H": options.hostname = iterator.next() ?? options.hostname
                case "--port", "-p":
                    guard let value = iterator.next(), let parsed = Int(value), (1...65_534).contains(parsed) else {
                        throw AppError.usage("--port takes a number, e.g. --port 8080")
                    }
                    options.port = parsed
                default:
                    throw AppError.usage("Unknown demo option '\(argument)'. Usage: shiftbridge demo [--hostname 127.0.0.1] [--port 8080]")
                }
            }
            return options
        }
    }

    /// The demo's own storage, and the emulator as the one PagerDuty host it may use.
    static func environment(_ base: [String: String], options: Options) -> [String: String] {
        var environment = base
        environment["SHIFTBRIDGE_DATA_DIR"] = dataDirectory
        environment["DATABASE_URL"] = nil
        environment["SHIFTBRIDGE_SECRET_KEY"] = nil
        environment["SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS"] = options.emulatorOrigin
        return environment
    }

    /// Prepares the demo and returns the arguments that start the server.
    static func prepare(_ app: Application, options: Options, executable: String) async throws -> [String] {
        let hostname = options.hostname, port = options.port
        let password = [UInt8].random(count: 12).base64String()
            .replacingOccurrences(of: "/", with: "x").replacingOccurrences(of: "+", with: "y")
        let hash = try await app.password.async.hash(password)
        try await app.db.transaction { db in
            if let existing = try await User.query(on: db).filter(\.$email == adminEmail).first() {
                existing.passwordHash = hash
                try await existing.save(on: db)
            } else {
                try await User(email: adminEmail, passwordHash: hash).create(on: db)
                try await AuditEvent.record(on: db, actor: "demo", action: "admin.created", target: "user:\(adminEmail)", after: "demo administrator")
            }
        }

        try await loadSampleRotation(app)

        // The demo's PagerDuty: an emulator with the demo account, on the next port.
        let emulator = try await EmulatorServer.start(port: port + 1, seed: .demo)
        app.lifecycle.use(EmulatorLifecycle(server: emulator))
        let fullKey = emulator.state.createAPIKey(readOnly: false)
        try await app.pagerDuty.connect(apiKey: fullKey, region: .us, baseURL: emulator.baseURL, actor: "demo")
        try await bindSampleRotation(app)
        let sampleCSV = try await loadSampleProvisioning(app)

        let shownHost = hostname == "0.0.0.0" ? "127.0.0.1" : hostname
        print("""

        ┌─ Shiftbridge demo ─────────────────────────────────────────
        │ Open      http://\(shownHost):\(port)/
        │ Email     \(adminEmail)
        │ Password  \(password)
        │ Data      \(dataDirectory) (embedded SQLite)
        │ PagerDuty \(emulator.baseURL) (emulator, demo account: 60 users, 8 schedules)
        │ Connected with API key …\(SecretBox.last4(fullKey)) (Settings → Integrations)
        │ HR export \(sampleCSV) (Provisioning → Import, or shiftbridge provision import)
        └─ Press Ctrl-C to stop. ─────────────────────────────────────

        """)
        return [executable, "serve", "--hostname", hostname, "--port", "\(port)"]
    }
}

extension Demo {
    /// A few people and a daily rotation, on the first run only.
    static func loadSampleRotation(_ app: Application) async throws {
        guard try await Rotation.query(on: app.db).count() == 0,
              let admin = try await User.query(on: app.db).filter(\.$email == adminEmail).first() else { return }
        let sample = [("Alex Nguyen", "alex.nguyen@shiftbridge-demo.example", "Europe/London"),
                      ("Blake Okafor", "blake.okafor@shiftbridge-demo.example", "America/New_York"),
                      ("Casey Silva", "casey.silva@shiftbridge-demo.example", "Europe/Berlin")]
        let directory = PeopleDirectory(db: app.db)
        for (name, email, zone) in sample where try await Person.query(on: app.db).filter(\.$email == email).first() == nil {
            _ = try await directory.add(.init(email: email, name: name, time_zone: zone), actor: "demo")
        }
        let rotation = try await app.rotations.create(.init(code: "DEMO-PRIMARY", name: "Demo primary", description: "Hands over every weekday at 09:00 London time.",
                                                            members: sample.map(\.1)), by: admin)
        _ = try await app.rotations.setSchedule(rotation, .init(type: "weekdays", time: "09:00", weekdays: [1, 2, 3, 4, 5], time_zone: "Europe/London"), by: admin)
    }
}

extension Demo {
    /// A rotation that follows the emulator's "Platform Primary" schedule. The emulator
    /// starts afresh each run, so the binding is renewed each run too.
    static func bindSampleRotation(_ app: Application) async throws {
        guard let admin = try await User.query(on: app.db).filter(\.$email == adminEmail).first(),
              let schedule = try await app.pagerDuty.schedules(matching: "Platform Primary").first else { return }
        var rotation = try await Rotation.query(on: app.db).filter(\.$code == "PLATFORM").first()
        if rotation == nil {
            rotation = try await app.rotations.create(.init(code: "PLATFORM", name: "Platform primary", description: "Follows the PagerDuty schedule “Platform Primary”."), by: admin)
        }
        guard let rotation else { return }
        _ = try await app.rotations.setSchedule(rotation, .init(type: "pagerduty", schedule_id: schedule.id), by: admin)
    }
}

extension Demo {
    /// An HR export to try provisioning with, and rules for it (rules on the first run only).
    /// Two demo-account engineers are matched by email, one leaves, one is a new hire.
    static func loadSampleProvisioning(_ app: Application) async throws -> String {
        let path = dataDirectory + "/hr-sample.csv"
        let csv = """
            employee_id,email,first_name,last_name,status,start_date,termination_date,department,title,manager_email,location,time_zone
            D1,alex.nguyen@shiftbridge-demo.example,Alex,Nguyen,active,2024-02-01,,Platform,Engineer,,London,Europe/London
            D2,blake.nguyen@shiftbridge-demo.example,Blake,Nguyen,active,2023-06-12,,Payments,Payments Lead,,New York,America/New_York
            D3,robin.demo@shiftbridge-demo.example,Robin,Demo,active,2026-01-05,,Platform,SRE,alex.nguyen@shiftbridge-demo.example,Berlin,Europe/Berlin
            D4,quinn.nguyen@shiftbridge-demo.example,Quinn,Nguyen,terminated,2022-03-01,2026-01-31,Mobile,Engineer,,Tokyo,Asia/Tokyo

            """
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        if try await ProvisioningDocument.find("rules", on: app.db) == nil {
            let rules = #"{"default_role":"limited_user","rules":[{"name":"Payments leads","role":"admin","teams":[{"team":"Payments","role":"manager"}],"when":{"all":[{"attribute":"department","operator":"equals","value":"payments"},{"attribute":"title","operator":"contains","value":"lead"}]}},{"name":"Platform","role":"user","teams":[{"team":"Platform","role":"responder"}],"when":{"attribute":"department","operator":"in","values":["Platform","SRE"]}}]}"#
            _ = try await app.provisioning.saveRules(Data(rules.utf8), actor: "demo")
        }
        return path
    }
}

/// Stops the demo's emulator with the app.
struct EmulatorLifecycle: LifecycleHandler {
    let server: EmulatorServer

    func shutdownAsync(_ application: Application) async {
        await server.shutdown()
    }
}
