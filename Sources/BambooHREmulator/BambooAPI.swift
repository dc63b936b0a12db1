import EmulatorSupport
import Foundation
import Vapor

/// BambooHR's API as the product reads it: custom reports, the directory, changed ids.
struct BambooAPI {
    let company: BambooCompany

    func register(_ app: Application) {
        let api = app.grouped("api", "gateway.php", ":company", "v1")
        api.on(.POST, "reports", "custom", body: .collect(maxSize: "64kb")) { req in try self.gate(req) { try self.customReport(req) } }
        api.get("employees", "directory") { req in try self.gate(req) { try self.directory(req) } }
        api.get("employees", "changed") { req in try self.gate(req) { try self.changed(req) } }
    }

    /// Authentication, the company, injected throttling and failures, then the answer.
    func gate(_ req: Request, _ answer: () throws -> Response) throws -> Response {
        let fault = company.state.withLockedValue { state -> BambooCompany.Fault? in
            state.requests += 1
            guard var fault = state.faults, fault.remaining > 0 else { return nil }
            fault.remaining -= 1
            state.faults = fault
            return fault
        }
        guard let auth = req.headers.basicAuthorization, company.state.withLockedValue({ $0.apiKeys.contains(auth.username) }) else {
            return Response(status: .unauthorized, body: .init(string: "Invalid API key"))
        }
        guard req.parameters.get("company") == company.subdomain else {
            return Response(status: .notFound, body: .init(string: "Company not found"))
        }
        if let fault {
            if fault.garbage { return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: "{\"employees\": [ {\"id\": ")) }
            var headers = HTTPHeaders()
            if fault.retryAfter > 0 { headers.add(name: "Retry-After", value: String(fault.retryAfter)) }
            return Response(status: HTTPResponseStatus(statusCode: fault.status), headers: headers, body: .init(string: "Service temporarily unavailable"))
        }
        return try answer()
    }

    func customReport(_ req: Request) throws -> Response {
        guard let body = req.body.data.flatMap({ JSON.parse(Data(buffer: $0)) }), let fields = body["fields"]?.array?.compactMap(\.string), !fields.isEmpty else {
            return Response(status: .badRequest, body: .init(string: "Send {\"fields\": [...]} naming the report's fields"))
        }
        let onlyCurrent = req.query[String.self, at: "onlyCurrent"] != "false"
        let employees = company.state.withLockedValue { $0.employees }
            .filter { !onlyCurrent || $0.fields["status"] == "Active" }
        let rows: [JSON] = employees.map { employee in .object(Dictionary(uniqueKeysWithValues: (["id"] + fields.filter { $0 != "id" }).map { ($0, employee.value($0)) })) }
        return answer(req, ["title": .string(body["title"]?.string ?? "Report"),
                            "fields": .array(fields.map { ["id": .string($0), "name": .string($0)] }), "employees": .array(rows)], element: "employee")
    }

    func directory(_ req: Request) throws -> Response {
        let employees = company.state.withLockedValue { $0.employees }.filter { $0.fields["status"] == "Active" }
        return answer(req, ["employees": .array(employees.map { employee in
            ["id": .string(String(employee.id)), "displayName": .string("\(employee.fields["firstName"] ?? "") \(employee.fields["lastName"] ?? "")"),
             "workEmail": employee.value("workEmail"), "department": employee.value("department"), "jobTitle": employee.value("jobTitle")]
        })], element: "employee")
    }

    func changed(_ req: Request) throws -> Response {
        guard let text = req.query[String.self, at: "since"], let since = ISO8601DateFormatter().date(from: text) else {
            return Response(status: .badRequest, body: .init(string: "since must be an ISO 8601 time"))
        }
        let changed = company.state.withLockedValue { $0.employees }.filter { $0.changedAt > since }
        return answer(req, ["latest": .string(ISO8601DateFormatter().string(from: Date())),
                            "employees": .object(Dictionary(uniqueKeysWithValues: changed.map { (String($0.id), ["id": .string(String($0.id)), "action": "Updated"]) }))],
                      element: "employee")
    }

    /// JSON when asked for; otherwise XML, as BambooHR answers by default.
    func answer(_ req: Request, _ body: JSON, element: String) -> Response {
        if req.headers.accept.contains(where: { $0.mediaType == .json }) {
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: body.encoded()))
        }
        var xml = "<?xml version=\"1.0\"?><report>"
        for row in body["employees"]?.array ?? [] {
            if case .object(let fields) = row {
                xml += "<\(element)>" + fields.sorted { $0.key < $1.key }.map { "<field id=\"\($0.key)\">\($0.value.string ?? "")</field>" }.joined() + "</\(element)>"
            }
        }
        return Response(status: .ok, headers: ["Content-Type": "text/xml"], body: .init(string: xml + "</report>"))
    }
}
