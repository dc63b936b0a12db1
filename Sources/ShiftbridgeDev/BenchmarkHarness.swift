import Foundation
import PagerDutyEmulator
import Shiftbridge
import Vapor

/// What every benchmark stands on: the app on a fresh embedded SQLite (or `DATABASE_URL`)
/// in a temporary folder, and an empty emulator on a loopback port; both shut down after.
enum BenchmarkHarness {
    static func withAppAndEmulator(parts: AppParts = .live, _ body: (Application, EmulatorServer) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shiftbridge-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var environment = ["SHIFTBRIDGE_DATA_DIR": directory, "SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS": "1", "SHIFTBRIDGE_ALLOW_PRIVATE_TARGETS": "1",
                           "SHIFTBRIDGE_ALLOW_HTTP_HOSTS": "127.0.0.1"]
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"] { environment["DATABASE_URL"] = url }
        // The testing environment: no background jobs; each benchmark runs its passes itself.
        let app = try await Application.make(.testing)
        app.logger.logLevel = .error
        let emulator = try await EmulatorServer.start(port: 0, seed: .empty, logLevel: .error)
        do {
            try await configure(app, config: AppConfig.load(environment: environment), parts: parts)
            try await body(app, emulator)
        } catch {
            await emulator.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
        await emulator.shutdown()
        try await app.asyncShutdown()
    }
}
