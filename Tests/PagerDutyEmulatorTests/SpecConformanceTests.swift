import Foundation
import PagerDutyEmulator
import Testing

/// The emulator's operations exist in PagerDuty's published spec and enforce the scope the
/// spec names. The spec lives beside the project (`../shared/pagerduty`); without it the
/// test is skipped and says so.
@Suite struct SpecConformanceTests {
    static let specURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/pagerduty/rest-openapiv3.json").standardized
    static let specPresent = FileManager.default.fileExists(atPath: specURL.path)

    @Test(.enabled(if: specPresent, "PagerDuty's OpenAPI spec is not at ../shared/pagerduty/rest-openapiv3.json"))
    func everyOperationIsInTheSpecWithItsScope() async throws {
        let spec = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.specURL)) as! [String: Any]
        let paths = spec["paths"] as! [String: [String: Any]]
        let served = try await EmulatorServer.operationScopes()
        #expect(served.count >= 30)
        for (operation, scope) in served {
            let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
            // The spec names path parameters {id}; the emulator's names may differ only in name.
            let template = paths.keys.first { candidate in
                candidate.split(separator: "/").count == parts[1].split(separator: "/").count
                    && zip(candidate.split(separator: "/"), parts[1].split(separator: "/")).allSatisfy { a, b in
                        a == b || (a.hasPrefix("{") && b.hasPrefix("{"))
                    }
            }
            let entry = try #require(template.flatMap { paths[$0]?[parts[0].lowercased()] } as? [String: Any], "\(operation) is not in the spec")
            let specScope = entry["x-pd-requires-scope"] as? String
            #expect(scope == specScope, "\(operation): emulator enforces \(scope ?? "nothing"), spec says \(specScope ?? "nothing")")
        }
    }
}
