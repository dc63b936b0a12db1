import Foundation
import ShiftbridgeCore
import Testing

@Suite struct ReportRecordsTests {
    @Test func recordsAtAPathBecomeCSVWithRenamedColumns() throws {
        let body = Data(#"""
            {"Report_Entry": [{"Worker_ID": "W1", "Email": "ann@corp.example", "Name": "Lee, Ann", "Active": true, "Level": 3},
                              {"Worker_ID": "W2", "Email": "ben@corp.example", "Name": "Ben \"B\" Wu", "Active": false, "Level": null}]}
            """#.utf8)
        let csv = try ReportRecords.csv(from: body, records: "Report_Entry", columns: ["employee_id": "Worker_ID", "email": "Email"])
        let lines = csv.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(lines.count == 3 && Set(header) == ["employee_id", "email", "Name", "Active", "Level"], "\(csv)")
        #expect(lines[1].contains("W1") && lines[1].contains("\"Lee, Ann\"") && lines[1].contains("true"))
        #expect(lines[2].contains("\"Ben \"\"B\"\" Wu\"") && lines[2].contains("false"))
    }

    @Test func anythingButWholeRecordsIsAnError() {
        #expect(throws: ReportRecords.ReportError("The report is not JSON")) { try ReportRecords.csv(from: Data("<xml/>".utf8), records: "", columns: [:]) }
        #expect(throws: ReportRecords.ReportError("The report has no \"Rows\" (records path Rows)")) {
            try ReportRecords.csv(from: Data(#"{"Report_Entry": []}"#.utf8), records: "Rows", columns: [:])
        }
        #expect(throws: ReportRecords.ReportError("Record 2 is not an object")) { try ReportRecords.csv(from: Data(#"[{"a": 1}, 2]"#.utf8), records: "", columns: [:]) }
        #expect(throws: ReportRecords.ReportError("Record 1: tags is not a single value")) {
            try ReportRecords.csv(from: Data(#"[{"tags": ["a"]}]"#.utf8), records: "", columns: [:])
        }
    }
}
