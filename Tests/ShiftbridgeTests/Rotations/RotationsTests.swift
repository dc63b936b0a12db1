import Fluent
import Foundation
import NIOConcurrencyHelpers
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

@Suite struct RotationsTests {
    typealias API = APIClient

    func withRotations(_ database: TestDatabase = .sqlite, _ body: (API, TestClock) async throws -> Void) async throws {
        try await withTestApp(database) { app in
            let clock = app.testParts.clock
            clock.set("2026-01-05T08:00:00Z")  // a Monday
            try await app.createAdmin()
            let token = try await app.issueToken(email: "ops@example.com", name: "t")
            let api = API(app: app, token: token)
            for (name, email) in [("Ann", "ann@example.com"), ("Ben", "ben@example.com"), ("Cat", "cat@example.com"), ("Dev", "dev@example.com")] {
                #expect(try await api.call(.POST, "/api/v1/people", ["name": name, "email": email]).status == .created)
            }
            try await body(api, clock)
        }
    }

    func onDuty(_ api: API, _ code: String) async throws -> [String] {
        try await api.onDuty(code)
    }

    @Test func createValidatesAndStoresTheCodeUpperCase() async throws {
        try await withRotations { api, _ in
            let created = try await api.call(.POST, "/api/v1/rotations", ["code": "ops-primary", "name": "Ops primary", "members": ["ann@example.com", "BEN@example.com"]])
            #expect(created.status == .created)
            let rotation = try created.decode(RotationsAPIController.RotationDTO.self)
            #expect(rotation.code == "OPS-PRIMARY")
            #expect(rotation.owners == ["ops@example.com"])
            #expect(rotation.members == ["ann@example.com", "ben@example.com"])
            #expect(rotation.on_duty == ["ann@example.com"])

            let duplicate = try await api.call(.POST, "/api/v1/rotations", ["code": "OPS-primary", "name": "Again"])
            #expect(duplicate.status == .conflict)
            let badCode = try await api.call(.POST, "/api/v1/rotations", ["code": "ops primary!", "name": "X"])
            #expect(badCode.status == .unprocessableEntity && badCode.text.contains("code"))
            let stranger = try await api.call(.POST, "/api/v1/rotations", ["code": "X", "name": "X", "members": ["zed@example.com"]])
            #expect(stranger.status == .unprocessableEntity && stranger.text.contains("zed@example.com"))
            let twice = try await api.call(.POST, "/api/v1/rotations", ["code": "Y", "name": "Y", "members": ["ann@example.com", "ann@example.com"]])
            #expect(twice.status == .unprocessableEntity)
            let badDuty = try await api.call(.POST, "/api/v1/rotations", ["code": "Z", "name": "Z", "duty_size": 0])
            #expect(badDuty.status == .unprocessableEntity && badDuty.text.contains("duty_size"))

            #expect(try await api.call(.GET, "/api/v1/rotations/OPS-PRIMARY").status == .ok)
            #expect(try await api.call(.GET, "/api/v1/rotations/ops-primary").status == .ok)
            #expect(try await api.call(.GET, "/api/v1/rotations/NOPE").status == .notFound)
            #expect(try await api.get("/api/v1/rotations", as: RotationsAPIController.RotationList.self).rotations.map(\.code) == ["OPS-PRIMARY"])
        }
    }

    @Test func manualRotateHonoursDutySizeAndIsAudited() async throws {
        try await withRotations { api, _ in
            _ = try await api.call(.POST, "/api/v1/rotations", ["code": "PAIR", "name": "Pairs", "duty_size": 2,
                                                                "members": ["ann@example.com", "ben@example.com", "cat@example.com"]])
            #expect(try await onDuty(api, "PAIR") == ["ann@example.com", "ben@example.com"])
            let rotated = try await api.call(.POST, "/api/v1/rotations/PAIR/rotate")
            #expect(rotated.status == .ok)
            #expect(try await onDuty(api, "PAIR") == ["cat@example.com", "ann@example.com"])
            let members = try await api.get("/api/v1/rotations/PAIR/members", as: RotationsAPIController.Roster.self)
            #expect(members.total == 3 && members.linked == 3)
            #expect(try await AuditEvent.query(on: api.app.db).filter(\.$action == .rotationRotated).count() == 1)
            let sync = try await api.call(.POST, "/api/v1/rotations/PAIR/sync")
            #expect(sync.status == .conflict && sync.text.contains("not_bound"))
        }
    }

    @Test func dailyScheduleHandsOverAtTheLocalTime() async throws {
        try await withRotations { api, clock in
            _ = try await api.call(.POST, "/api/v1/rotations", ["code": "DAY", "name": "Daily", "members": ["ann@example.com", "ben@example.com", "cat@example.com"]])
            // 09:00 in Berlin is 08:00Z in January; the clock reads 08:00Z, so the first handoff is a day away.
            let set = try await api.call(.PUT, "/api/v1/rotations/DAY/schedule", ["type": "daily", "time": "10:00", "time_zone": "Europe/Berlin"])
            #expect(set.status == .ok)
            #expect(try set.decode(RotationsAPIController.RotationDTO.self).schedule?.next_handoff == ISO8601DateFormatter().date(from: "2026-01-05T09:00:00Z"))
            #expect(try await onDuty(api, "DAY") == ["ann@example.com"])
            clock.advance(hours: 1.5)  // 09:30Z: past the 10:00 Berlin handoff
            // Reads report the handoff at once; the scheduler's pass records and announces it.
            #expect(try await onDuty(api, "DAY") == ["ben@example.com"])
            #expect(try await AuditEvent.query(on: api.app.db).filter(\.$action == .rotationHandoff).count() == 0)
            try await api.app.applyDueHandoffs()
            #expect(try await AuditEvent.query(on: api.app.db).filter(\.$action == .rotationHandoff).count() == 1)
            clock.advance(hours: 48)  // two more handoffs
            #expect(try await onDuty(api, "DAY") == ["ann@example.com"])
            try await api.app.applyDueHandoffs()
            try await api.app.applyDueHandoffs()  // nothing left: no second record
            #expect(try await AuditEvent.query(on: api.app.db).filter(\.$action == .rotationHandoff).count() == 2)

            let shifts = try await api.get("/api/v1/rotations/DAY/shifts?days=3", as: RotationsAPIController.ShiftList.self).shifts
            let people = shifts.map { $0.people.map(\.email) }
            #expect(people == [["ann@example.com"], ["ben@example.com"], ["cat@example.com"], ["ann@example.com"]])
            #expect(try await api.call(.GET, "/api/v1/rotations/DAY/shifts?days=500").status == .unprocessableEntity)
        }
    }

    @Test func scheduleInputIsCheckedFieldByField() async throws {
        try await withRotations { api, _ in
            _ = try await api.call(.POST, "/api/v1/rotations", ["code": "S", "name": "S"])
            for (body, field) in [(["type": "hourly"], "type"), (["type": "daily"], "time"), (["type": "daily", "time": "25:00"], "time"),
                                  (["type": "weekly", "time": "09:00", "weekday": 9], "weekday"), (["type": "weekdays", "time": "09:00", "weekdays": [Int]()], "weekdays"),
                                  (["type": "daily", "time": "09:00", "time_zone": "Mars/Base"], "time_zone"),
                                  (["type": "pagerduty"], "schedule_id")] as [([String: Any], String)] {
                let response = try await api.call(.PUT, "/api/v1/rotations/S/schedule", body)
                #expect(response.status == .unprocessableEntity, "\(body)")
                #expect(response.text.contains(field), "\(body): \(response.text)")
            }
            let unconnected = try await api.call(.PUT, "/api/v1/rotations/S/schedule", ["type": "pagerduty", "schedule_id": "P1"])
            #expect(unconnected.status == .conflict && unconnected.text.contains("not_connected"))
            let workdays = try await api.call(.PUT, "/api/v1/rotations/S/schedule", ["type": "weekdays", "time": "09:00", "weekdays": [5, 1, 1], "time_zone": "Etc/UTC"])
            #expect(try workdays.decode(RotationsAPIController.RotationDTO.self).schedule?.weekdays == [1, 5])
        }
    }

    @Test func editingMembersKeepsWhoeverIsOnDutyAndOwnersCannotDropThemselves() async throws {
        try await withRotations { api, _ in
            _ = try await api.call(.POST, "/api/v1/rotations", ["code": "E", "name": "E", "members": ["ann@example.com", "ben@example.com", "cat@example.com"]])
            _ = try await api.call(.POST, "/api/v1/rotations/E/rotate")  // Ben is on duty
            let edited = try await api.call(.PATCH, "/api/v1/rotations/E", ["members": ["dev@example.com", "ben@example.com"], "name": "Edited"])
            #expect(edited.status == .ok)
            let rotation = try edited.decode(RotationsAPIController.RotationDTO.self)
            #expect(rotation.on_duty == ["ben@example.com"])
            #expect(rotation.name == "Edited")
            try await api.app.createAdmin(email: "second@example.com")
            let dropSelf = try await api.call(.PATCH, "/api/v1/rotations/E", ["owners": ["second@example.com"]])
            #expect(dropSelf.status == .unprocessableEntity && dropSelf.text.contains("yourself"))
            let addOwner = try await api.call(.PATCH, "/api/v1/rotations/E", ["owners": ["ops@example.com", "second@example.com"]])
            #expect(try addOwner.decode(RotationsAPIController.RotationDTO.self).owners == ["ops@example.com", "second@example.com"])
            #expect(try await api.call(.DELETE, "/api/v1/rotations/E").status == .noContent)
            #expect(try await api.call(.GET, "/api/v1/rotations/E").status == .notFound)
        }
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil, TestDatabase.postgresSkipReason))
    func rotationsWorkOnPostgres() async throws {
        try await withRotations(.postgres) { api, clock in
            _ = try await api.call(.POST, "/api/v1/rotations", ["code": "PG", "name": "PG", "members": ["ann@example.com", "ben@example.com"]])
            _ = try await api.call(.PUT, "/api/v1/rotations/PG/schedule", ["type": "weekly", "time": "09:00", "weekday": 1, "time_zone": "Etc/UTC"])
            clock.advance(hours: 2)
            #expect(try await onDuty(api, "PG") == ["ben@example.com"])
        }
    }
}
