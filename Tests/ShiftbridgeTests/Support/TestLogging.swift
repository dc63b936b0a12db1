import Foundation
import Logging
import NIOConcurrencyHelpers
@testable import Shiftbridge

/// The test process's logging, installed once: every line passes the app's redactor (as in
/// production), and while a test captures, everything at any level is kept for it to search.
enum TestLogging {
    private static let capture = NIOLockedValueBox<[String]?>(nil)

    private static let installed: Void = {
        LoggingSystem.bootstrap { label in
            RedactingLogHandler(CaptureHandler(label: label))
        }
    }()

    /// Runs `body` with every log line of the process kept at `trace`; returns what was logged.
    static func capturing(_ body: () async throws -> Void) async rethrows -> String {
        _ = installed
        capture.withLockedValue { $0 = [] }
        defer { capture.withLockedValue { $0 = nil } }
        try await body()
        return capture.withLockedValue { ($0 ?? []).joined(separator: "\n") }
    }

    struct CaptureHandler: LogHandler {
        let label: String
        var metadata: Logger.Metadata = [:]
        private var level: Logger.Level = .warning
        private let stream: StreamLogHandler

        init(label: String) {
            self.label = label
            stream = StreamLogHandler.standardError(label: label)
        }

        /// Everything while capturing; otherwise as set (warnings by default).
        var logLevel: Logger.Level {
            get { TestLogging.capture.withLockedValue { $0 != nil } ? .trace : level }
            set { level = newValue }
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            let captured = TestLogging.capture.withLockedValue { lines -> Bool in
                guard lines != nil else { return false }
                lines!.append("\(event.level) [\(label)] \(event.message) \(merged)")
                return true
            }
            if !captured && event.level >= level { stream.log(event: event) }
        }
    }
}
