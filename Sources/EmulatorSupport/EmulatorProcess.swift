import Foundation

/// What an emulator command does once its server is up: serve until interrupted.
public enum EmulatorProcess {
    /// Returns never; SIGINT or SIGTERM ends the process.
    public static func waitUntilInterrupted() async {
        signal(SIGINT) { _ in _exit(0) }
        signal(SIGTERM) { _ in _exit(0) }
        while true { try? await Task.sleep(nanoseconds: 3_600 * 1_000_000_000) }
    }
}
