import Vapor

/// `serve` (the default): Vapor's server, then this instance's background jobs, unless
/// `--no-jobs` or `SHIFTBRIDGE_JOBS=off` say this instance only answers requests.
struct ServeCommand: AnyAsyncCommand {
    static let noJobsFlag = "--no-jobs"

    let server: any AnyAsyncCommand
    /// Nil when registered only to describe itself (`--help`).
    let jobs: JobRunner?
    let jobsEnabled: Bool

    var help: String { server.help + " Runs the background jobs too, unless \(Self.noJobsFlag) or SHIFTBRIDGE_JOBS=off." }

    func run(using context: inout CommandContext) async throws {
        let noJobs = context.input.arguments.contains(Self.noJobsFlag)
        context.input.arguments.removeAll { $0 == Self.noJobsFlag }
        try await server.run(using: &context)
        if jobsEnabled && !noJobs { jobs?.start() }
    }

    func outputHelp(using context: inout CommandContext) throws {
        try server.outputHelp(using: &context)
        context.console.output("  \(Self.noJobsFlag)  Serve requests only; leave the background jobs to other instances.")
    }
}
