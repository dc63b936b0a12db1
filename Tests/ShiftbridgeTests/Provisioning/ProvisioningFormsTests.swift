import Foundation
@testable import Shiftbridge
import ShiftbridgeCore
import Testing
import Vapor
import VaporTesting

/// Rules and settings edited as forms from the dashboard: the builder's buttons reshape it
/// unsaved, Save stores the same document the JSON editor does, settings fields save each
/// setting, and both views read back the same.
@Suite struct ProvisioningFormsTests {
    @Test func theRuleBuilderAndTheSettingsFieldsSaveWhatTheJSONShows() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let browser = Browser(app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let page = try await browser.request(.GET, "/provisioning")
            let csrf = try browser.csrfToken(from: page)
            var form = ["_csrf": csrf, "default_role": "limited_user", "r0.name": "Platform", "r0.role": "user", "r0.match": "all",
                        "r0.g0.match": "any", "r0.g0.t0.attribute": "department", "r0.g0.t0.operator": "in", "r0.g0.t0.value": "Platform, SRE",
                        "r0.team0.team": "Platform", "r0.team0.role": "responder", "r0.license": ""]
            // A shape button re-renders the builder with one more condition, saving nothing.
            form["op"] = "add-test:0.0"
            let reshaped = try await browser.request(.POST, "/provisioning/rules/builder", form: form)
            #expect(reshaped.status == .ok && reshaped.body.string.contains("name=\"r0.g0.t1.attribute\""))
            #expect(try await app.services.provisioningConfiguration(app.db).rules().rules.isEmpty)

            form["r0.g0.t1.attribute"] = "title"
            form["r0.g0.t1.operator"] = "contains"
            form["r0.g0.t1.value"] = "engineer"
            form["op"] = "save"
            let saved = try await browser.request(.POST, "/provisioning/rules/builder", form: form)
            #expect(saved.status == .seeOther)
            let rules = try await app.services.provisioningConfiguration(app.db).rules()
            #expect(rules.defaultRole == "limited_user")
            #expect(rules.rules[0].when == .any([.test(.init(attribute: "department", op: .inList, values: ["Platform", "SRE"])),
                                                 .test(.init(attribute: "title", op: .contains, value: "engineer"))]))
            #expect(rules.rules[0].teams == [.init(team: "Platform", role: "responder")])
            // What the builder shows again is what was saved.
            #expect(try RuleForm(rules).roleRules() == rules)
            let shown = try await browser.request(.GET, "/provisioning").body.string
            #expect(shown.contains("value=\"Platform, SRE\"") && shown.contains("\"operator\" : \"in\""))

            // A bad rule is refused with what to fix, and the draft stays on screen.
            form["r0.role"] = "overlord"
            let refused = try await browser.request(.POST, "/provisioning/rules/builder", form: form)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("overlord"))

            let settings = try await browser.request(.POST, "/provisioning/settings/fields", form: [
                "_csrf": csrf, "mode": "autopilot", "run_every_minutes": "60", "time_zone": "Europe/Berlin", "from_email": "",
                "stages[]": "hire", "termination_threshold_percent": "5", "termination_threshold_count": "10",
                "protected_users": "owner@example.com\nlead@example.com", "exclude_from_update[]": "role", "delimiter": ";", "encoding": "windows-1252",
                "columns.email": "Work Email", "status_values.terminated": "terminated, left", "attribute_mapping.name": "{first_name} {last_name|upper}",
            ])
            #expect(settings.status == .seeOther)
            let stored = try await app.services.provisioningConfiguration(app.db).settings()
            #expect(stored.mode == .autopilot && stored.runEveryMinutes == 60 && stored.timeZone == "Europe/Berlin" && stored.stages == [.hire])
            #expect(stored.processAll == false && stored.terminationThresholdPercent == 5 && stored.terminationThresholdCount == 10)
            #expect(stored.protectedUsers == ["owner@example.com", "lead@example.com"] && stored.excludeFromUpdate == ["role"])
            #expect(stored.delimiter == ";" && stored.encoding == .windows1252)
            #expect(stored.columns.email == "Work Email" && stored.columns.department == "department")
            #expect(stored.statusValues.terminated == ["terminated", "left"] && stored.attributeMapping.name == "{first_name} {last_name|upper}")
            let bad = try await browser.request(.POST, "/provisioning/settings/fields", form: ["_csrf": csrf, "mode": "autopilot", "termination_threshold_count": "many"])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("termination_threshold_count"))
        }
    }
}
