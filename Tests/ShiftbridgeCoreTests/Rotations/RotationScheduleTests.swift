import Foundation
import ShiftbridgeCore
import Testing

@Suite struct RotationScheduleTests {
    let nine = TimeOfDay(hour: 9, minute: 0)!

    func parse(_ type: String, time: String? = "09:00", weekdays: [Int]? = nil, zone: String? = nil, scheduleID: String? = nil) throws(RotationSchedule.Problem) -> RotationSchedule {
        try RotationSchedule.parse(type: type, time: time, weekday: weekdays?.first, weekdays: weekdays, timeZone: zone, scheduleID: scheduleID)
    }

    @Test func eachKindParsesFromWhatAFormSends() throws {
        #expect(try parse("manual") == .manual)
        #expect(try parse("daily", zone: "Europe/Berlin") == .daily(at: nine, timeZone: "Europe/Berlin"))
        #expect(try parse("weekly", weekdays: [3]) == .weekly(weekday: 3, at: nine, timeZone: "Etc/UTC"))
        #expect(try parse("weekdays", weekdays: [5, 1, 1]) == .customDays([1, 5], at: nine, timeZone: "Etc/UTC"))
        #expect(try parse("pagerduty", scheduleID: " PABC123 ") == .pagerDuty(scheduleID: "PABC123"))
    }

    @Test func eachProblemNamesItsField() {
        func field(_ type: String, time: String? = "09:00", weekdays: [Int]? = nil, zone: String? = nil, scheduleID: String? = nil) -> String? {
            do {
                _ = try parse(type, time: time, weekdays: weekdays, zone: zone, scheduleID: scheduleID)
                return nil
            } catch {
                return error.field
            }
        }
        #expect(field("hourly") == "type")
        #expect(field("daily", time: "9am") == "time")
        #expect(field("daily", time: "24:00") == "time")
        #expect(field("daily", zone: "Mars/Olympus") == "time_zone")
        #expect(field("weekly", weekdays: [8]) == "weekday")
        #expect(field("weekly") == "weekday")
        #expect(field("weekdays", weekdays: []) == "weekdays")
        #expect(field("weekdays", weekdays: [0, 2]) == "weekdays")
        #expect(field("pagerduty", scheduleID: "") == "schedule_id")
        #expect(field("pagerduty", scheduleID: "P1'; DROP") == "schedule_id")
    }

    @Test func itIsStoredAndReadBackAsOneJSONValue() throws {
        let schedules: [RotationSchedule] = [.manual, .daily(at: nine, timeZone: "Asia/Tokyo"), .weekly(weekday: 7, at: nine, timeZone: "Etc/UTC"),
                                             .customDays([1, 2, 3], at: TimeOfDay(hour: 17, minute: 30)!, timeZone: "America/New_York"),
                                             .pagerDuty(scheduleID: "PXYZ")]
        for schedule in schedules {
            let json = try JSONEncoder().encode(schedule)
            #expect(try JSONDecoder().decode(RotationSchedule.self, from: json) == schedule)
        }
        let text = String(decoding: try JSONEncoder().encode(RotationSchedule.customDays([2, 1], at: nine, timeZone: "Etc/UTC")), as: UTF8.self)
        #expect(text.contains(#""type":"weekdays""#) && text.contains(#""weekdays":[1,2]"#) && text.contains(#""time":"09:00""#))
        // A stored value that no longer validates fails to decode, naming the field.
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RotationSchedule.self, from: Data(#"{"type":"daily","time":"25:00"}"#.utf8)) }
    }

    @Test func onlyAutomaticSchedulesHaveACadenceAndAZone() {
        #expect(RotationSchedule.manual.cadence == nil && RotationSchedule.manual.timeZoneIdentifier == nil)
        #expect(RotationSchedule.pagerDuty(scheduleID: "P1").cadence == nil)
        #expect(RotationSchedule.daily(at: nine, timeZone: "Europe/Berlin").timeZone.identifier == "Europe/Berlin")
        #expect(RotationSchedule.customDays([6, 7], at: nine, timeZone: "Etc/UTC").weekdays == [6, 7])
        #expect(RotationSchedule.weekly(weekday: 1, at: nine, timeZone: "Europe/Berlin").description == "weekly on Mon at 09:00 Europe/Berlin")
    }
}
