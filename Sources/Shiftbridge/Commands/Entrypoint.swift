import Foundation
import ConsoleKit
import Logging
import Vapor

/// The `shiftbridge` executable: reads configuration, wires the app, runs a subcommand.
public enum Entrypoint {
    public static func main() async {
        var env: Environment
        do {
            env = try Environment.detect()
        } catch {
            printError(error)
            exit(2)
        }
        // Every log line passes the redactor, whichever library writes it.
        try? LoggingSystem.bootstrap(from: &env) { level in
            let console = Terminal()
            return { label in RedactingLogHandler(ConsoleLogger(label: label, console: console, level: level)) }
        }
        var arguments = env.arguments
        let subcommand = arguments.count > 1 ? arguments[1] : nil
        if subcommand == "pagerduty-emulator" {
            do {
                try await EmulatorCommand.run(arguments: Array(arguments.dropFirst(2)))
            } catch {
                printError(error)
                exit(2)
            }
            return
        }
        var environment = ProcessInfo.processInfo.environment
        var demo: Demo.Options?
        if subcommand == "demo" {
            // The demo always runs on its own embedded database, whatever the shell has set.
            do {
                demo = try Demo.Options.parse(Array(arguments.dropFirst(2)))
            } catch {
                printError(error)
                exit(2)
            }
            environment = Demo.environment(environment, options: demo!)
        }

        let app: Application
        do {
            app = try await Application.make(env)
        } catch {
            printError(error)
            exit(1)
        }
        var exitCode: Int32 = 0
        do {
            let config = try AppConfig.load(environment: environment)
            try await configure(app, config: config)
            if let demo {
                arguments = try await Demo.prepare(app, options: demo, executable: arguments[0])
                app.environment.arguments = arguments
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
}

private func printError(_ error: any Error) {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
}
