import Foundation
@testable import Shiftbridge
import Testing

/// The executable as an operator runs it.
@Suite struct CommandLineTests {
    /// `shiftbridge` beside the test bundle (`swift test` builds it too).
    static var executable: URL {
        get throws {
            let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            let binary = folder.appendingPathComponent("shiftbridge")
            try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the executable first: swift build --product shiftbridge")
            return binary
        }
    }

    func run(_ arguments: [String], in folder: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ["PATH": "/usr/bin:/bin", "LOG_LEVEL": "warning"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func helpTouchesNothingOnDisk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shiftbridge-help-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for arguments in [["--help"], ["-h"], ["admin", "--help"], ["admin", "tokens", "--help"], ["serve", "--help"], ["provision", "run", "-h"],
                          ["demo", "--help"], ["slack-emulator", "--help"]] {
            let (status, output) = try run(arguments, in: folder)
            #expect(status == 0 && output.contains("Usage"), "\(arguments): \(output)")
            let written = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(written.isEmpty, "\(arguments) wrote \(written)")
        }
        let (_, listing) = try run(["--help"], in: folder)
        for command in ["serve", "migrate", "admin", "provision", "demo", "pagerduty-emulator", "slack-emulator", "bamboohr-emulator"] {
            #expect(listing.contains(command), "\(command) is listed")
        }
    }

    @Test func theDatabaseFileIsReadableByThisAccountAlone() async throws {
        try await withTestApp { app in
            let folder = app.services.config.dataDirectory
            let file = try FileManager.default.attributesOfItem(atPath: folder + "/shiftbridge.sqlite")
            #expect((file[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let directory = try FileManager.default.attributesOfItem(atPath: folder)
            #expect((directory[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        }
    }
}
