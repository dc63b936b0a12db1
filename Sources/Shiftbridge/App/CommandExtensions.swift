import Vapor

/// Subcommands the executable adds beside the app's own: the demo and the PagerDuty
/// emulator. They live in the dev target; the app library knows them only through this.
package protocol CommandExtensions: Sendable {
    /// Runs a command that needs no app (the emulator). True when `arguments` named one.
    func runWithoutApp(_ arguments: [String]) async throws -> Bool
    /// The environment the app is configured from for `arguments` (the demo uses its own database).
    func environment(for arguments: [String], base: [String: String]) throws -> [String: String]
    /// After `configure`: prepares the app and returns the arguments it then executes.
    func prepare(_ app: Application, arguments: [String]) async throws -> [String]
    /// Each added command and what it does, for the list `--help` prints.
    var summaries: [String: String] { get }
    /// The usage of the added command `arguments` name, if they name one.
    func usage(for arguments: [String]) -> String?
}
