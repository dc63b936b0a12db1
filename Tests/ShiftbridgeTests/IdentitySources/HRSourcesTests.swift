import BambooHREmulator
import Fluent
import Foundation
@testable import Shiftbridge
import Testing
import NIOConcurrencyHelpers
import PagerDutyKit
import Vapor

/// HR sources: a drop folder (what an SFTP drop becomes), an HR report URL (Workday RaaS
/// style, JSON with Basic authentication) and BambooHR (against its emulator). Each file or
/// report is imported whole or rejected whole, the same content only once, then planned.
@Suite struct HRSourcesTests {
    typealias Source = HRSourcesAPIController.SourceDTO
    static let header = ProvisioningTests.header

    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hr-drop-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A file as an upload leaves it: written a while ago and no longer growing.
    func drop(_ text: String, _ name: String, in folder: String, age: TimeInterval = 60) throws {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: path)
    }

    @Test func aDropFolderImportsWholeFilesRejectsBadOnesAndWaitsForPartialOnes() async throws {
        try await ProvisioningTests().withProvisioning(mode: "supervised") { f in
            let path = try folder()
            let refused = try await f.api.call(.POST, "/api/v1/provisioning/sources", ["name": "SFTP", "kind": "folder", "path": path + "/missing"])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("path:"))
            // A source moves files: only inside the folders allowed for HR drops.
            let outside = try await f.api.call(.POST, "/api/v1/provisioning/sources", ["name": "SFTP", "kind": "folder", "path": "/etc"])
            #expect(outside.status == .unprocessableEntity && outside.text.contains("SHIFTBRIDGE_HR_DROP_ROOTS"))
            let created = try await f.api.call(.POST, "/api/v1/provisioning/sources", ["name": "SFTP", "kind": "folder", "path": path, "pattern": "hr-*.csv", "every_minutes": 15])
            #expect(created.status == .created, "\(created.text)")
            let id = try created.decode(Source.self).id

            try drop(([Self.header] + ProvisioningTests.staff.prefix(2)).joined(separator: "\n"), "hr-1.csv", in: path)
            try drop(Self.header + "\nE9,not-an-email,Zed,Q,hired,,,,,,,\n", "hr-2.csv", in: path)
            try drop(Self.header + "\n", "hr-3.csv.part", in: path)
            try drop("x", "notes.txt", in: path)
            try drop(Self.header + "\n" + ProvisioningTests.staff[2], "hr-4.csv", in: path, age: -3600)  // still being written (however slow this run)

            let source = try await f.api.runSource(id)
            #expect(source.last_result == .imported, "\(source.last_message ?? "")")
            #expect(source.last_message?.contains("hr-1.csv: imported (2 added") == true && source.last_message?.contains("hr-2.csv: rejected whole") == true)
            #expect(source.last_message?.contains("2 file(s) still arriving") == true, "\(source.last_message ?? "")")
            let files = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            #expect(files == ["hr-3.csv.part", "hr-4.csv", "notes.txt", "processed", "rejected"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: path + "/processed") == ["hr-1.csv"])
            let errors = try String(contentsOfFile: path + "/rejected/hr-2.csv.errors.txt", encoding: .utf8)
            #expect(errors.contains("line 2:") && errors.contains("'hired'"), "\(errors)")
            #expect(try await f.employees().map(\.employee_id).sorted() == ["E1", "E2"])
            // The import was planned like an upload.
            #expect(source.last_message?.contains("a provisioning run was planned") == true)

            // The same content again, under another name: moved aside, not imported twice.
            try drop(([Self.header] + ProvisioningTests.staff.prefix(2)).joined(separator: "\n"), "hr-5.csv", in: path)
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-60)], ofItemAtPath: path + "/hr-4.csv")
            let again = try await f.api.runSource(id)
            #expect(again.last_message?.contains("hr-5.csv: the same content was imported before") == true, "\(again.last_message ?? "")")
            #expect(again.last_message?.contains("hr-4.csv: imported (1 added") == true)
            #expect(try await f.employees().count == 3)
            let listed = try await f.api.call(.GET, "/api/v1/provisioning/sources")
            #expect(listed.text.contains("\"last_result\":\"imported\"") && listed.text.contains("next_run_at"))
        }
    }

    /// A folder whose `processed/` or `rejected/` (or a dropped file) is a link that leads out
    /// moves nothing and writes nothing outside it, and says why; a file over the upload limit
    /// is set aside unread.
    @Test func linksOutOfTheFolderAreRefusedAndOversizedFilesAreNotRead() async throws {
        try await ProvisioningTests().withProvisioning(mode: "supervised") { f in
            let path = try folder(), outside = try folder()
            let created = try await f.api.call(.POST, "/api/v1/provisioning/sources", ["name": "SFTP", "kind": "folder", "path": path, "pattern": "hr-*.csv"])
            let id = try created.decode(Source.self).id
            let csv = ([Self.header] + ProvisioningTests.staff.prefix(1)).joined(separator: "\n")
            try drop(csv, "hr-1.csv", in: path)
            for sub in ["processed", "rejected"] {
                try FileManager.default.createSymbolicLink(atPath: path + "/" + sub, withDestinationPath: outside)
                let refused = try await f.api.runSource(id)
                #expect(refused.last_result == .failed && refused.last_message?.contains("\(sub)/ in \(path) is a link that leads outside the folder") == true,
                        "\(refused.last_message ?? "")")
                #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty, "nothing moved or written outside")
                #expect(FileManager.default.fileExists(atPath: path + "/hr-1.csv"))
                #expect(try await f.employees().isEmpty)
                try FileManager.default.removeItem(atPath: path + "/" + sub)
            }
            // A link inside the folder is followed.
            try FileManager.default.removeItem(atPath: path + "/processed")
            try FileManager.default.createDirectory(atPath: path + "/archive", withIntermediateDirectories: false)
            try FileManager.default.createSymbolicLink(atPath: path + "/processed", withDestinationPath: path + "/archive")
            // A dropped link (to a secret elsewhere) is set aside unread, and so is a file over the upload limit.
            try "employee_id,email\nX,secret@corp.example\n".write(toFile: outside + "/secret.csv", atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: path + "/hr-2.csv", withDestinationPath: outside + "/secret.csv")
            let huge = path + "/hr-3.csv"
            #expect(FileManager.default.createFile(atPath: huge, contents: nil))
            let handle = try #require(FileHandle(forWritingAtPath: huge))
            try handle.truncate(atOffset: 150 << 20)  // sparse: 150 MB that take no disk
            try handle.close()
            for name in ["hr-2.csv", "hr-3.csv"] {
                var times = [timespec(tv_sec: Int(Date().timeIntervalSince1970) - 60, tv_nsec: 0), timespec(tv_sec: Int(Date().timeIntervalSince1970) - 60, tv_nsec: 0)]
                #expect(utimensat(AT_FDCWD, path + "/" + name, &times, AT_SYMLINK_NOFOLLOW) == 0)
            }
            let ran = try await f.api.runSource(id)
            #expect(ran.last_message?.contains("hr-1.csv: imported (1 added") == true, "\(ran.last_message ?? "")")
            #expect(try FileManager.default.contentsOfDirectory(atPath: path + "/archive") == ["hr-1.csv"])
            #expect(ran.last_message?.contains("hr-2.csv: rejected whole") == true && ran.last_message?.contains("hr-3.csv: rejected whole") == true)
            let linkErrors = try String(contentsOfFile: path + "/rejected/hr-2.csv.errors.txt", encoding: .utf8)
            #expect(linkErrors.contains("hr-2.csv is a link: links are not followed"), "\(linkErrors)")
            let sizeErrors = try String(contentsOfFile: path + "/rejected/hr-3.csv.errors.txt", encoding: .utf8)
            #expect(sizeErrors.contains("hr-3.csv is 150 MB; files over 64 MB are not read"), "\(sizeErrors)")
            #expect(try await f.employees().map(\.email) == ["ann@corp.example"], "the linked secret was never imported")
            #expect(try String(contentsOfFile: outside + "/secret.csv", encoding: .utf8).contains("secret@corp.example"), "the link's target is untouched")
            // The folder itself swapped for a link that leads out of the roots: nothing is read.
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/etc")
            let escaped = try await f.api.runSource(id)
            #expect(escaped.last_result == .failed && escaped.last_message?.contains("leads to /etc, outside the folders HR drops may use") == true,
                    "\(escaped.last_message ?? "")")
            try FileManager.default.removeItem(atPath: path)
        }
    }

    @Test func theProvisioningPageAddsRunsAndRemovesSources() async throws {
        try await ProvisioningTests().withProvisioning(mode: "supervised") { f in
            let path = try folder()
            try drop(([Self.header] + ProvisioningTests.staff.prefix(1)).joined(separator: "\n"), "hr-1.csv", in: path)
            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let page = try await browser.request(.GET, "/provisioning")
            #expect(page.body.string.contains("id=\"sources\"") && page.body.string.contains("No HR source yet."))
            let csrf = try browser.csrfToken(from: page)
            let bad = try await browser.request(.POST, "/provisioning/sources", form: ["_csrf": csrf, "name": "Drop", "kind": "folder", "path": "relative/path"])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("an absolute path"))
            let added = try await browser.request(.POST, "/provisioning/sources", form: ["_csrf": csrf, "name": "Drop", "kind": "folder", "path": path,
                                                                                       "pattern": "hr-*.csv", "every_minutes": "30"])
            #expect(added.status == .seeOther || added.status == .found, "\(added.status)")
            let source = try #require(try await HRSource.query(on: f.app.db).first())
            _ = try await browser.request(.POST, "/provisioning/sources/\(try source.requireID())/run", form: ["_csrf": csrf])
            #expect(try await browser.request(.GET, "/provisioning").body.string.contains("Drop runs within seconds"))
            await f.app.runJobPass("hr-sources")
            let after = try await browser.request(.GET, "/provisioning").body.string
            #expect(after.contains("Drop</strong> — folder: \(path) (hr-*.csv)") && after.contains("hr-1.csv: imported (1 added"), "\(after)")
            _ = try await browser.request(.POST, "/provisioning/sources/\(try source.requireID())/delete", form: ["_csrf": csrf])
            #expect(try await HRSource.query(on: f.app.db).count() == 0)
        }
    }

    @Test func anHRReportURLIsReadWholeWithItsSecretSealed() async throws {
        let report = try await Application.make(.testing)
        report.http.server.configuration.hostname = "127.0.0.1"
        report.http.server.configuration.port = 0
        let body = #"{"Report_Entry": [{"Worker_ID": "W1", "Email": "ann@corp.example", "First": "Ann", "Last": "Lee", "Status": "active", "Dept": "Platform"}]}"#
        let calls = NIOLockedValueBoxCounter()
        report.get("ccx", "service", "customreport2", "acme", "shiftbridge") { req -> Response in
            calls.increment()
            guard req.headers.basicAuthorization?.password == "hunter2-report" else { return Response(status: .unauthorized) }
            // The first answer is throttled, as a busy tenant's are.
            if calls.value == 1 { return Response(status: .serviceUnavailable, headers: ["Retry-After": "1"]) }
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: body))
        }
        try await report.server.start()
        let port = try #require(report.http.server.shared.localAddress?.port)
        defer { Task { await report.server.shutdown(); try? await report.asyncShutdown() } }
        try await ProvisioningTests().withProvisioning(mode: "supervised") { f in
            let created = try await f.api.call(.POST, "/api/v1/provisioning/sources", [
                "name": "Workday", "kind": "url", "url": "http://127.0.0.1:\(port)/ccx/service/customreport2/acme/shiftbridge?format=json",
                "format": "json", "records": "Report_Entry",
                "columns": ["employee_id": "Worker_ID", "email": "Email", "first_name": "First", "last_name": "Last", "status": "Status", "department": "Dept"],
                "auth": ["basic": ["user": "ISU_Shiftbridge", "password": "hunter2-report"]]])
            #expect(created.status == .created, "\(created.text)")
            #expect(!created.text.contains("hunter2") && created.text.contains("\"secret_last4\":\"port\""))
            let stored = try #require(try await HRSource.query(on: f.app.db).first())
            #expect(stored.sealedSecret?.contains("hunter2") == false)
            let id = try created.decode(Source.self).id
            let ran = try await f.api.runSource(id)
            #expect(ran.last_result == .imported, "\(ran.last_message ?? "")")
            #expect(try await f.employees().first?.email == "ann@corp.example")
            let unchanged = try await f.api.runSource(id)
            #expect(unchanged.last_result == .unchanged)
        }
    }

    /// A stored password, token or key never follows a changed address; BambooHR's host is
    /// pinned unless the server allows others.
    @Test func credentialsDoNotFollowAChangedAddress() async throws {
        try await ProvisioningTests().withProvisioning(mode: "supervised") { f in
            let report = try await f.api.call(.POST, "/api/v1/provisioning/sources", ["name": "Report", "kind": "url", "url": "https://hr.example.com/report.csv",
                                                                                        "auth": ["bearer": "report-token-1234"]])
            let reportID = try report.decode(Source.self).id
            let moved = try await f.api.call(.PATCH, "/api/v1/provisioning/sources/\(reportID)", ["url": "https://attacker.example.net/collect"])
            #expect(moved.status == .unprocessableEntity && moved.text.contains("auth: the URL changed"), "\(moved.text)")
            #expect(try await f.api.call(.GET, "/api/v1/provisioning/sources/\(reportID)").decode(Source.self).url == "https://hr.example.com/report.csv")
            let renamed = try await f.api.call(.PATCH, "/api/v1/provisioning/sources/\(reportID)", ["name": "HR report", "every_minutes": 30])
            #expect(renamed.status == .ok, "other fields change without the secret: \(renamed.text)")
            let given = try await f.api.call(.PATCH, "/api/v1/provisioning/sources/\(reportID)", ["url": "https://hr2.example.com/report.csv", "auth": ["bearer": "report-token-5678"]])
            #expect(try given.decode(Source.self).secret_last4 == "5678")

            let bamboo = try await f.api.call(.POST, "/api/v1/provisioning/sources", ["name": "BambooHR", "kind": "bamboohr", "subdomain": "acme",
                                                                                        "api_key": "bamboo-key-0001", "base_url": "http://127.0.0.1:9"])
            let bambooID = try bamboo.decode(Source.self).id
            let rebased = try await f.api.call(.PATCH, "/api/v1/provisioning/sources/\(bambooID)", ["base_url": "http://127.0.0.1:10"])
            #expect(rebased.status == .unprocessableEntity && rebased.text.contains("api_key: base_url changed"), "\(rebased.text)")
        }
        try await withTestApp(environment: ["SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS": "0"]) { app in
            try await app.createAdmin()
            let api = APIClient(app: app, token: try await app.issueToken())
            let pinned = try await api.call(.POST, "/api/v1/provisioning/sources", ["name": "BambooHR", "kind": "bamboohr", "subdomain": "acme",
                                                                                     "api_key": "bamboo-key-0001", "base_url": "https://bamboo.attacker.example"])
            #expect(pinned.status == .unprocessableEntity, "\(pinned.text)")
            #expect(try pinned.error.message.contains("base_url: must be one of https://api.bamboohr.com"), "\(pinned.text)")
            let official = try await api.call(.POST, "/api/v1/provisioning/sources", ["name": "BambooHR", "kind": "bamboohr", "subdomain": "acme",
                                                                                       "api_key": "bamboo-key-0001"])
            #expect(official.status == .created, "\(official.text)")
        }
    }

    @Test func bambooHRIsReadThroughItsCustomReportHonouringRetryAfter() async throws {
        let bamboo = try await BambooHREmulatorServer.start(port: 0, seed: .empty)
        defer { Task { await bamboo.shutdown() } }
        bamboo.company.upsert(["workEmail": "ann@corp.example", "firstName": "Ann", "lastName": "Lee", "status": "Active", "hireDate": "2024-01-15",
                               "department": "Platform", "jobTitle": "Engineer"])
        bamboo.company.upsert(["workEmail": "ben@corp.example", "firstName": "Ben", "lastName": "Wu", "status": "Inactive", "hireDate": "2020-01-15",
                               "terminationDate": "2026-02-01", "department": "Payments", "jobTitle": "Lead"])
        let key = bamboo.company.createAPIKey()
        try await ProvisioningTests().withProvisioning(mode: "supervised") { f in
            let created = try await f.api.call(.POST, "/api/v1/provisioning/sources", ["name": "BambooHR", "kind": "bamboohr", "subdomain": "acme",
                                                                                         "api_key": key, "base_url": bamboo.baseURL])
            #expect(created.status == .created, "\(created.text)")
            let id = try created.decode(Source.self).id
            _ = try await AsyncHTTPClientTransport().send(TransportRequest(method: "POST", url: bamboo.baseURL + "/_emulator/faults",
                                                                           body: Data(#"{"status": 503, "count": 1, "retry_after": 1}"#.utf8)))
            let ran = try await f.api.runSource(id)
            #expect(ran.last_result == .imported, "\(ran.last_message ?? "")")
            let employees = Dictionary(uniqueKeysWithValues: try await f.employees().map { ($0.email, $0) })
            #expect(employees["ann@corp.example"]?.status == .active && employees["ben@corp.example"]?.status == .terminated)
            // Garbage from BambooHR changes nothing and says so.
            _ = try await AsyncHTTPClientTransport().send(TransportRequest(method: "POST", url: bamboo.baseURL + "/_emulator/faults",
                                                                           body: Data(#"{"garbage": true, "count": 1}"#.utf8)))
            let failed = try await f.api.runSource(id)
            #expect(failed.last_result == .failed && failed.failing_since != nil, "\(failed.last_message ?? "")")
            #expect(try await f.employees().count == 2)
        }
    }
}

extension APIClient {
    /// "Run now" (answered at once, 202), then the background job's pass that runs it: the
    /// source after its run.
    func runSource(_ id: UUID) async throws -> HRSourcesAPIController.SourceDTO {
        let queued = try await call(.POST, "/api/v1/provisioning/sources/\(id)/run")
        #expect(queued.status == .accepted, "\(queued.text)")
        await app.runJobPass("hr-sources")
        return try await call(.GET, "/api/v1/provisioning/sources/\(id)").decode(HRSourcesAPIController.SourceDTO.self)
    }
}

/// A count shared with a route handler.
final class NIOLockedValueBoxCounter: Sendable {
    private let box = NIOLockedValueBox(0)
    func increment() { box.withLockedValue { $0 += 1 } }
    var value: Int { box.withLockedValue { $0 } }
}

/// The digest of what waits on administrators: sent as `provisioning.attention` while
/// anything waits, at most every `reminder_hours`, and shown on the dashboard.
@Suite struct ProvisioningAttentionTests {
    @Test func failingSourcesAndWaitingRunsAreDigestedEveryFewHours() async throws {
        try await ProvisioningTests().withProvisioning(mode: "supervised") { f in
            let attention = f.app.services.provisioningAttention(f.app.db)
            #expect(try await attention.remindIfDue() == false, "nothing waits")
            let hook = try await f.api.call(.POST, "/api/v1/webhooks", ["url": "https://hooks.example.com/hr"])
            #expect(hook.status == .created, "\(hook.text)")
            // A report URL nobody answers at: the source fails.
            let created = try await f.api.call(.POST, "/api/v1/provisioning/sources", ["name": "Broken report", "kind": "url", "url": "http://127.0.0.1:9/report.csv", "every_minutes": 5])
            let id = try created.decode(HRSourcesAPIController.SourceDTO.self).id
            let ran = try await f.api.runSource(id)
            #expect(ran.last_result == .failed && ran.failing_since != nil)
            #expect(try await attention.facts().isEmpty, "not yet failing for longer than its interval")
            f.app.testParts.clock.advance(seconds: 6 * 60)
            // And a run waiting for approval.
            #expect(try await f.importCSV(([ProvisioningTests.header] + ProvisioningTests.staff.prefix(1)).joined(separator: "\n")).status == .created)
            _ = try await f.run()

            #expect(try await attention.remindIfDue())
            let delivery = try #require(try await WebhookDelivery.query(on: f.app.db).filter(\.$event == ProvisioningAttention.event).first())
            #expect(delivery.payload.contains("Broken report") && delivery.payload.contains("wait for approval"), "\(delivery.payload)")
            #expect(try await attention.remindIfDue() == false, "once per reminder_hours")
            f.app.testParts.clock.advance(seconds: 4 * 3600 + 1)
            #expect(try await attention.remindIfDue())
            // The dashboard says it too.
            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let home = try await browser.request(.GET, "/").body.string
            #expect(home.contains("HR source Broken report has failed since") && home.contains("waits for approval"))
        }
    }
}

extension ProvisioningAttentionTests {
    @Test func administratorsSlackKnowsGetTheDigestAsAMessage() async throws {
        try await SlackOutputsTests().withSlack { api, clock, slack in
            let admin = slack.workspace.addUser(name: "Ops", email: "ops@example.com")
            _ = try await api.call(.POST, "/api/v1/integrations/slack/refresh")
            let created = try await api.call(.POST, "/api/v1/provisioning/sources", ["name": "Broken report", "kind": "url", "url": "http://127.0.0.1:9/report.csv", "every_minutes": 5])
            let id = try created.decode(HRSourcesAPIController.SourceDTO.self).id
            _ = try await api.runSource(id)
            clock.advance(hours: 0.2)
            #expect(try await api.app.services.provisioningAttention(api.app.db).remindIfDue())
            await api.app.runJobPass("slack-delivery")
            let messages = slack.workspace.directMessages(to: admin)
            #expect(messages.count == 1 && messages.first?.contains("HR source Broken report has failed since") == true, "\(messages)")
            // Ann is no administrator: she hears nothing.
            #expect(slack.workspace.directMessages(to: slack.id("ann@example.com")).isEmpty)
        }
    }
}
