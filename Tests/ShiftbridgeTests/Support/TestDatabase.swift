import Fluent
import FluentPostgresDriver
import Foundation
import NIOHTTP1
@testable import Shiftbridge
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Which real database a test runs on. PostgreSQL tests need `SHIFTBRIDGE_TEST_DATABASE_URL`
/// (`.ci/run` sets it); without it they are skipped, and say so.
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["SHIFTBRIDGE_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static let postgresSkipReason: Comment = "PostgreSQL tests skipped: set SHIFTBRIDGE_TEST_DATABASE_URL=postgres://… (the CI script does)"

    var testDescription: String { rawValue }
}
