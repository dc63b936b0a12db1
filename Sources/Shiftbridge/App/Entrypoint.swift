import ConsoleKit
import Foundation
import Logging
import Vapor

/// The `shiftbridge` executable: reads configuration, wires the app, runs a subcommand.
package enum Entrypoint {
    package static func main(extensions: (any CommandExtensions)? = nil) async {
        var env: Environment
        do {
            env = try Environment.detect()
        } catch {
            fail(error, code: 2)
        }
        // Every log line passes the redactor, whichever library writes it.
        try? LoggingSystem.bootstrap(from: &env) { level in
            let console = Terminal()
            return { label in RedactingLogHandler(ConsoleLogger(label: label, console: console, level: level)) }
        }
        if env.arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) {
            await help(env, extensions: extensions)
            return
        }
        let environment: [String: String]
        do {
            if try await extensions?.runWithoutApp(env.arguments) == true { return }
            environment = try extensions?.environment(for: env.arguments, base: ProcessInfo.processInfo.environment)
                ?? ProcessInfo.processInfo.environment
        } catch {
            fail(error, code: 2)
        }

        let app: Application
        do {
            app = try await Application.make(env)
        } catch {
            fail(error, code: 1)
        }
        var exitCode: Int32 = 0
        do {
            try await configure(app, config: try AppConfig.load(environment: environment))
            if let extensions {
                app.environment.arguments = try await extensions.prepare(app, arguments: app.environment.arguments)
            }
        } catch {
            printError(error)
            exitCode = 1
        }
        if exitCode == 0 {
            do {
                try await app.execute()
            } catch {
                // Vapor has already printed the command's error.
                exitCode = 1
            }
        }
        try? await app.asyncShutdown()
        if exitCode != 0 { exit(exitCode) }
    }

    /// What a command does, and nothing else: no data folder, key, database or migration.
    private static func help(_ env: Environment, extensions: (any CommandExtensions)?) async {
        if let usage = extensions?.usage(for: env.arguments) {
            print(usage)
            return
        }
        do {
            let app = try await Application.make(env)
            registerCommands(app)
            for (name, summary) in extensions?.summaries ?? [:] { app.asyncCommands.use(DescribedCommand(help: summary), as: name) }
            try await app.execute()
            try? await app.asyncShutdown()
        } catch {
            fail(error, code: 1)
        }
    }

    private static func fail(_ error: any Error, code: Int32) -> Never {
        printError(error)
        exit(code)
    }

    private static func printError(_ error: any Error) {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    }
}
