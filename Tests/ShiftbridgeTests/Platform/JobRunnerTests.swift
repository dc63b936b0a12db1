import Foundation
import NIOConcurrencyHelpers
@testable import Shiftbridge
import Testing
import Vapor

@Suite struct JobRunnerTests {
    /// Passes under way, and the most ever under way at once.
    final class Overlap: Sendable {
        let state = NIOLockedValueBox((running: 0, most: 0, finished: 0))

        func pass(_ seconds: Double) async throws {
            state.withLockedValue { $0.running += 1; $0.most = max($0.most, $0.running) }
            defer { state.withLockedValue { $0.running -= 1 } }
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            state.withLockedValue { $0.finished += 1 }
        }
    }

    @Test func aPassLongerThanItsLeaseKeepsItByRenewing() async throws {
        try await withTestInstances(2) { apps in
            let overlap = Overlap()
            // The lease holds 0.6 s; each pass takes 2 s.
            let job = Job("slow", every: 0.1, .oneInstance, leaseSeconds: 0.6) { _ in
                try await overlap.pass(2)
                return nil
            }
            let runners = apps.map { JobRunner(jobs: [job], database: { [db = $0.db] in db }, clock: $0.services.clock, holder: $0.services.instanceID, logger: $0.logger) }
            for runner in runners { runner.start() }
            try await Task.sleep(for: .seconds(5))
            for runner in runners { await runner.stop() }
            let state = overlap.state.withLockedValue { $0 }
            #expect(state.most == 1, "a second instance ran the job while the first still held it")
            #expect(state.finished >= 2)
        }
    }

    @Test func everyInstanceJobsRunEverywhereAndAFailedPassDoesNotStopTheLoop() async throws {
        try await withTestInstances(2) { apps in
            let passes = NIOLockedValueBox([String: Int]())
            let job = Job("everywhere", every: 0.05, .everyInstance) { holder in
                let count = passes.withLockedValue { $0[holder, default: 0] += 1; return $0[holder]! }
                if count == 1 { throw AppError(.upstream, code: "flaky", "the first pass fails") }
                return nil
            }
            let runners = apps.map { JobRunner(jobs: [job], database: { [db = $0.db] in db }, clock: $0.services.clock, holder: $0.services.instanceID, logger: $0.logger) }
            for runner in runners { runner.start() }
            try await Task.sleep(for: .milliseconds(600))
            for runner in runners { await runner.stop() }
            let counts = passes.withLockedValue { $0 }
            #expect(counts.count == 2 && counts.values.allSatisfy { $0 >= 3 }, "\(counts)")
        }
    }

    /// Vapor's server command, as far as `serve` needs it: what it was asked to do.
    final class ServerStandIn: AnyAsyncCommand, Sendable {
        let arguments = NIOLockedValueBox<[String]>([])
        var help: String { "serves" }
        func run(using context: inout CommandContext) async throws { arguments.withLockedValue { $0 = context.input.arguments } }
    }

    @Test(arguments: [(["--port", "8080"], true, true), (["--no-jobs", "--port", "8080"], true, false), (["--port", "8080"], false, false)])
    func serveStartsTheJobsUnlessToldNotTo(arguments: [String], enabled: Bool, expected: Bool) async throws {
        try await withTestApp { app in
            let server = ServerStandIn()
            let idle = Job("idle", every: 1, .everyInstance) { _ in nil }
            let runner = JobRunner(jobs: [idle], database: { [db = app.db] in db }, clock: app.services.clock, holder: "test", logger: app.logger)
            var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["shiftbridge"] + arguments))
            try await ServeCommand(server: server, jobs: runner, jobsEnabled: enabled).run(using: &context)
            #expect(runner.isRunning == expected)
            #expect(server.arguments.withLockedValue { $0 } == ["--port", "8080"], "the flag is ours, not Vapor's")
            await runner.stop()
        }
    }

    @Test func serveRunsTheJobsUnlessToldNotTo() throws {
        #expect(try AppConfig.load(environment: [:]).runJobs)
        #expect(try AppConfig.load(environment: ["SHIFTBRIDGE_JOBS": "off"]).runJobs == false)
        #expect(throws: AppConfig.InvalidSetting.self) { try AppConfig.load(environment: ["SHIFTBRIDGE_JOBS": "sometimes"]) }
    }
}
