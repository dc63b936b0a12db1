import Crypto
import Foundation
import HTTPTransport
import ShiftbridgeCore

/// Reads what a source offers now, whole or not at all: the files of a drop folder that have
/// finished arriving, or the body of a report. Nothing here imports or moves anything.
struct HRSourceFetcher {
    let transport: any HTTPTransport
    let policy: OutboundTargetPolicy

    struct Fetched {
        /// A label for messages: the file name, or the report's host.
        let label: String
        let csv: Data
        let digest: String
        /// Made here with the default headers (not the admin's own CSV layout).
        let canonical: Bool
    }

    enum FetchError: Error, CustomStringConvertible {
        case unreachable(String)
        var description: String { if case .unreachable(let message) = self { message } else { "" } }
    }

    static let maxReportBytes = EmployeeImporter.maxFileBytes

    static func digest(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Drop folder

    /// The files whole now, in name order, and how many are still arriving. Sizes are read
    /// twice, half a second apart: a file still growing waits for the next run.
    func folderFiles(_ folder: DropFolderAccess, real: String, pattern: String) async throws -> (ready: [String], arriving: Int) {
        let first: [DropFolder.File]
        do { first = try folder.listing(real) } catch { throw FetchError.unreachable("Cannot read the folder \(folder.folder): \(error.localizedDescription)") }
        try await Task.sleep(for: .milliseconds(500))
        let second = try folder.listing(real)
        let decision = DropFolder.ready(second, pattern: pattern, previousSizes: Dictionary(first.map { ($0.name, $0.size) }, uniquingKeysWith: { a, _ in a }),
                                        now: Date())
        return (decision.ready, decision.arriving.count)
    }

    // MARK: Report URL and BambooHR

    /// The report's rows as CSV. Retries a failed or throttled request (honouring
    /// Retry-After) a few times; a body cut short or over the cap is an error, never a part.
    func report(_ settings: HRSourceSettings, secret: String?) async throws -> Fetched {
        guard let url = settings.url else { throw FetchError.unreachable("The source has no URL") }
        let address = try await policy.checkDeliveryTarget(url)
        var headers: [(String, String)] = [("Accept", settings.format == .json ? "application/json" : "text/csv")]
        switch settings.auth {
        case .basic?: headers.append(("Authorization", "Basic " + Data("\(settings.user ?? ""):\(secret ?? "")".utf8).base64EncodedString()))
        case .bearer?: headers.append(("Authorization", "Bearer \(secret ?? "")"))
        default: break
        }
        let body = try await fetch(TransportRequest(method: "GET", url: url, headers: headers, timeout: 120, maxResponseBytes: Self.maxReportBytes, connectTo: address))
        let csv: Data
        if settings.format == .json {
            do {
                csv = Data(try ReportRecords.csv(from: body, records: settings.records ?? "", columns: settings.columns ?? [:]).utf8)
            } catch let error as ReportRecords.ReportError {
                throw FetchError.unreachable("The report could not be read: \(error.description)")
            }
        } else {
            csv = body
        }
        return Fetched(label: URLComponents(string: url)?.host ?? url, csv: csv, digest: Self.digest(body), canonical: settings.format == .json)
    }

    /// The fields read from BambooHR's custom report, and the employee field each becomes.
    static let bambooFields: [(bamboo: String, column: String)] = [
        ("id", "employee_id"), ("workEmail", "email"), ("firstName", "first_name"), ("lastName", "last_name"), ("status", "status"),
        ("hireDate", "start_date"), ("terminationDate", "termination_date"), ("department", "department"), ("jobTitle", "title"),
        ("supervisorEmail", "manager_email"), ("location", "location"),
    ]

    /// BambooHR's custom report of the mapped fields (`POST …/v1/reports/custom?format=JSON`,
    /// the API key as the Basic user), as CSV: Active people active, Inactive ones terminated.
    func bamboo(_ settings: HRSourceSettings, apiKey: String) async throws -> Fetched {
        let base = settings.baseURL ?? "https://api.bamboohr.com"
        // The key goes to BambooHR only, unless this server allows other hosts (an emulator).
        guard policy.allowsStoredAPIBase(base, vendor: .bambooHR) else {
            throw FetchError.unreachable("\(base) is not BambooHR's API host; set SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS to use another, or remove base_url")
        }
        let url = "\(base)/api/gateway.php/\(settings.subdomain ?? "")/v1/reports/custom?format=JSON&onlyCurrent=false"
        let address = try await policy.checkDeliveryTarget(url)
        let request = TransportRequest(method: "POST", url: url,
                                       headers: [("Accept", "application/json"), ("Content-Type", "application/json"),
                                                 ("Authorization", "Basic " + Data("\(apiKey):x".utf8).base64EncodedString())],
                                       body: try JSONSerialization.data(withJSONObject: ["title": "Shiftbridge", "fields": Self.bambooFields.map(\.bamboo)]),
                                       timeout: 120, maxResponseBytes: Self.maxReportBytes, connectTo: address)
        let body = try await fetch(request)
        guard let employees = JSON.parse(body)?["employees"]?.array else {
            throw FetchError.unreachable("BambooHR's answer has no \"employees\" list")
        }
        var rows: [JSON] = []
        for employee in employees {
            var row: [String: JSON] = [:]
            for (bamboo, column) in Self.bambooFields {
                var value = employee[bamboo]?.string ?? employee[bamboo]?.int.map(String.init) ?? ""
                if column == "status" { value = value.lowercased() == "active" ? "active" : "terminated" }
                if value == "0000-00-00" { value = "" }
                row[column] = .string(value)
            }
            rows.append(.object(row))
        }
        let csv: String
        do { csv = try ReportRecords.csv(from: JSON.array(rows).encoded(), records: "", columns: [:]) } catch let error as ReportRecords.ReportError {
            throw FetchError.unreachable("BambooHR's report could not be read: \(error.description)")
        }
        return Fetched(label: "BambooHR (\(settings.subdomain ?? ""))", csv: Data(csv.utf8), digest: Self.digest(body), canonical: true)
    }

    /// GET with retries on 429, 5xx and transport failures; the body of a 200 only.
    func fetch(_ request: TransportRequest, attempts: Int = 4) async throws -> Data {
        var delay = 1.0
        for attempt in 1...attempts {
            do {
                let response = try await transport.send(request)
                if response.status == 200 { return response.body }
                let retryable = response.status == 429 || response.status >= 500
                guard retryable, attempt < attempts else {
                    let hint = response.status == 401 || response.status == 403 ? " (check the credentials)" : ""
                    throw FetchError.unreachable("The report answered HTTP \(response.status)\(hint)")
                }
                let wait = response.headers.first { $0.key.lowercased() == "retry-after" }.flatMap { Double($0.value) } ?? delay
                try await Task.sleep(for: .milliseconds(Int(min(wait, 60) * 1000)))
            } catch let error as FetchError {
                throw error
            } catch {
                guard attempt < attempts else { throw FetchError.unreachable("The report could not be fetched: \(String(describing: error).prefix(200))") }
                try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            }
            delay *= 2
        }
        throw FetchError.unreachable("The report could not be fetched")
    }
}
