import Fluent
import Foundation
@testable import Shiftbridge
import ShiftbridgeCore
import Testing
import Vapor
import VaporTesting

/// Locks that hold, leases that refuse, and a cache dropped once a write is visible.
@Suite struct LocksAndCachesTests {
    static let databases = [TestDatabase.sqlite] + (TestDatabase.postgresURL == nil ? [] : [TestDatabase.postgres])

    /// Two instances settle the same due handoff at once: the rotation's row is locked inside
    /// the write, so the second waits, reads what the first wrote, and records nothing more.
    @Test(arguments: databases)
    func aHandoffSettledByTwoInstancesAtOnceIsRecordedOnce(_ database: TestDatabase) async throws {
        try await withTestInstances(2, database) { apps in
            let clock = apps[0].testParts.clock
            clock.set("2026-01-05T08:00:00Z")
            try await apps[0].createAdmin()
            let api = APIClient(app: apps[0], token: try await apps[0].issueToken())
            try await api.addPerson("Ann", "ann@example.com")
            try await api.addPerson("Ben", "ben@example.com")
            for round in 0..<6 {
                let code = "LOCK\(round)"
                try await api.createRotation(RotationInput(code: code, name: code, members: ["ann@example.com", "ben@example.com"]))
                try await api.setSchedule(code, ScheduleInput(type: "daily", time: "09:00", time_zone: "Etc/UTC"))
                clock.advance(hours: 24)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for app in apps {
                        group.addTask {
                            let rotation = try #require(try await Rotation.query(on: app.db).filter(\.$code == code).first())
                            try await app.db.transaction { db in
                                _ = try await RotationHandoffs.settle(rotation, at: clock.now(), dutyChanges: app.services.dutyChanges(), on: db)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let rotation = try #require(try await Rotation.query(on: apps[0].db).filter(\.$code == code).first())
                let handoffs = try await AuditEvent.query(on: apps[0].db).filter(\.$action == .rotationHandoff).filter(\.$rotationID == rotation.requireID()).count()
                #expect(handoffs == 1, "round \(round): \(handoffs) handoffs recorded")
            }
        }
    }

    @Test func aLockOutsideATransactionIsAMistake() async throws {
        try await withTestApp { app in
            await #expect(throws: RowLocks.NotInTransaction.self) { try await RowLocks.lock(Rotation.schema, in: [UUID()], on: app.db) }
            try await app.db.transaction { db in try await RowLocks.lock(Rotation.schema, in: [UUID()], on: db) }
        }
    }

    /// A read while a write is under way (it sees the old state) must not leave the old
    /// answer cached once the write commits.
    @Test(arguments: databases)
    func theDutyCacheIsDroppedAfterTheWriteCommits(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await app.createAdmin()
            let api = APIClient(app: app, token: try await app.issueToken())
            try await api.addPerson("Ann", "ann@example.com")
            try await api.addPerson("Ben", "ben@example.com")
            try await api.createRotation(RotationInput(code: "CACHE", name: "Cache", members: ["ann@example.com", "ben@example.com"]))
            #expect(try await api.onDuty("CACHE") == ["ann@example.com"])
            let rotation = try #require(try await Rotation.query(on: app.db).filter(\.$code == "CACHE").first())
            try await app.db.transaction { db in
                rotation.position = 1
                try await rotation.save(on: db)
                // Another request reads meanwhile: it sees Ann, and the cache keeps what it read.
                #expect(try await api.onDuty("CACHE") == ["ann@example.com"])
            }
            #expect(try await api.onDuty("CACHE") == ["ben@example.com"], "the committed change shows at once")
        }
    }
}
