import Foundation
import ShiftbridgeCore
import Testing

@Suite struct DropFolderTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func file(_ name: String, size: Int = 10, age: TimeInterval = 60) -> DropFolder.File {
        .init(name: name, size: size, modified: now.addingTimeInterval(-age))
    }

    @Test func wholeFilesAreReadyAndFilesOnTheirWayWait() {
        let decision = DropFolder.ready([file("hr-2.csv"), file("hr-1.csv"), file("hr-3.csv.part"), file(".hr-4.csv"), file("hr-5.csv", age: 1),
                                         file("hr-6.csv", size: 20), file("notes.txt"), file("hr-7.csv.tmp")],
                                        pattern: "hr-*.csv", previousSizes: ["hr-6.csv": 10], now: now)
        #expect(decision.ready == ["hr-1.csv", "hr-2.csv"], "in name order")
        #expect(Set(decision.arriving) == ["hr-3.csv.part", ".hr-4.csv", "hr-5.csv", "hr-6.csv", "hr-7.csv.tmp"])
    }

    @Test func patternsMatchShellStyle() {
        for (name, pattern, expected) in [("hr-2026.csv", "hr-*.csv", true), ("HR-2026.csv", "hr-*.csv", false), ("a.csv", "?.csv", true),
                                          ("ab.csv", "?.csv", false), ("x", "*", true), ("report.csv.bak", "*.csv", false)] {
            #expect(DropFolder.matches(name, pattern: pattern) == expected, "\(name) ~ \(pattern)")
        }
    }
}
