import ShiftbridgeCore
import Testing

@Suite struct HRSourceRunTests {
    @Test func eachFileIsImportedSetAsideOrRejected() {
        #expect(HRSourceRun.step(for: .content(digest: "d1"), importedDigests: ["d0"]) == .importFile)
        #expect(HRSourceRun.step(for: .content(digest: "d0"), importedDigests: ["d0"]) == .setAside)
        #expect(HRSourceRun.step(for: .refused("a link"), importedDigests: []) == .reject(["a link"]))
        #expect(HRSourceRun.importsReport(digest: "r2", importedDigests: ["r1"]) && !HRSourceRun.importsReport(digest: "r1", importedDigests: ["r0", "r1"]))
    }

    @Test func aRunIsSummedUpInOneWordAndAMessage() {
        let mixed = HRSourceRun.summary([.imported("hr-1.csv", added: 2, changed: 0, unchanged: 1), .rejected("hr-2.csv", problems: ["bad", "line 2: x"], errors: "hr-2.csv.errors.txt"),
                                         .setAside("hr-3.csv")], arriving: 1, isFolder: true)
        #expect(mixed.result == .imported)
        #expect(mixed.messages == ["hr-1.csv: imported (2 added, 0 changed, 1 unchanged)", "hr-2.csv: rejected whole, 1 problem(s) listed in rejected/hr-2.csv.errors.txt",
                                   "hr-3.csv: the same content was imported before; not imported again", "1 file(s) still arriving"])
        #expect(HRSourceRun.summary([.rejected("hr-2.csv", problems: ["bad"], errors: "e")], isFolder: true).result == .rejected)
        #expect(HRSourceRun.summary([], arriving: 2, isFolder: true) == (.waiting, ["2 file(s) still arriving"]))
        #expect(HRSourceRun.summary([], isFolder: true) == (.unchanged, ["No new file"]))
        #expect(HRSourceRun.summary([.unchangedReport], isFolder: false) == (.unchanged, ["The report has not changed since it was last imported"]))
        #expect(HRSourceRun.summary([.rejected("api.example.com", problems: ["no rows"], errors: nil)], isFolder: false).messages == ["Rejected whole: no rows"])
    }
}
