import Foundation
@testable import Shiftbridge
import ShiftbridgeCore
import Testing

/// The rotation page's HTML for a manual, a scheduled, a PagerDuty-schedule and an
/// escalation-policy rotation, compared with the files under Support/Fixtures/Golden. After
/// a deliberate change, `SHIFTBRIDGE_RECORD_GOLDEN=1 swift test --filter RotationPageGoldenTests`
/// writes them again (read the diff before committing).
@Suite struct RotationPageGoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Support/Fixtures/Golden")

    static func render(_ model: RotationPage.Model) -> String {
        ViewerTime.$now.withValue(RotationPageFixtures.now) {
            ViewerTime.$zone.withValue(TimeZone(identifier: "Europe/London")!) {
                RotationPage.render(model, context: PageContext(title: model.name, section: .rotations, userEmail: "ops@example.com", isAdmin: true,
                                                                 csrfToken: "csrf-token"))
            }
        }
        // One element per line, so a change reads as a diff of lines.
        .replacingOccurrences(of: "><", with: ">\n<")
    }

    @Test(arguments: RotationPageFixtures.kinds.map(\.name))
    func pageMatchesItsGoldenFile(_ kind: String) throws {
        let model = try #require(RotationPageFixtures.kinds.first { $0.name == kind }?.model)
        let html = Self.render(model)
        let file = Self.folder.appendingPathComponent("rotation-\(kind).html")
        if ProcessInfo.processInfo.environment["SHIFTBRIDGE_RECORD_GOLDEN"] == "1" {
            try html.write(to: file, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        let (mine, theirs) = (html.split(separator: "\n"), golden.split(separator: "\n"))
        let first = zip(mine, theirs).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(html == golden, "\(kind): line \((first?.offset ?? min(mine.count, theirs.count)) + 1) differs: \(first.map { "\($0.element.0) ≠ \($0.element.1)" } ?? "lengths")")
    }

    /// What the four kinds must show, whatever else the markup does.
    @Test func onlyRotationsPeopleTurnOfferRotate() {
        for (kind, model) in RotationPageFixtures.kinds {
            let html = Self.render(model)
            let turnsHere = kind == "manual" || kind == "scheduled"
            #expect(html.contains("id=\"rotate\"") == turnsHere, "\(kind)")
            #expect(html.contains("Members come from PagerDuty") == !turnsHere, "\(kind)")
        }
        let policy = Self.render(RotationPageFixtures.kinds[3].model)
        #expect(policy.contains("Dana (no email)") && policy.contains("Paged directly (level 2)"))
        #expect(Self.render(RotationPageFixtures.kinds[2].model).contains("(override)"))
    }
}
