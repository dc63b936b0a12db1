import EmulatorSupport
import Foundation
import Vapor

/// `/_emulator/`: set the company up and misbehave on request.
///   POST /_emulator/api-keys → {"key"}; POST /_emulator/employees {workEmail, firstName, …} → {"id"};
///   POST /_emulator/faults {"status": 429|503|500, "count", "retry_after", "garbage"}; DELETE /_emulator/faults;
///   PUT /_emulator/company {"subdomain"}; GET /_emulator/state.
struct BambooControl {
    let company: BambooCompany

    func register(_ app: Application) {
        let control = app.grouped("_emulator")
        control.post("api-keys") { _ in json(["key": .string(company.createAPIKey())]) }
        control.post("employees") { req -> Response in
            guard case .object(let fields)? = req.body.data.flatMap({ JSON.parse(Data(buffer: $0)) }) else {
                return Response(status: .badRequest, body: .init(string: "Send the employee's fields as a JSON object"))
            }
            let id = company.upsert(fields.compactMapValues(\.string))
            return json(["id": .int(id)])
        }
        control.post("faults") { req -> Response in
            let body = req.body.data.flatMap { JSON.parse(Data(buffer: $0)) } ?? [:]
            company.state.withLockedValue {
                $0.faults = .init(status: body["status"]?.int ?? 503, remaining: body["count"]?.int ?? 1, retryAfter: body["retry_after"]?.int ?? 1,
                                  garbage: body["garbage"]?.bool ?? false)
            }
            return json(["ok": true])
        }
        control.delete("faults") { _ in
            company.state.withLockedValue { $0.faults = nil }
            return json(["ok": true])
        }
        control.put("company") { req -> Response in
            if let subdomain = req.body.data.flatMap({ JSON.parse(Data(buffer: $0)) })?["subdomain"]?.string {
                company.state.withLockedValue { $0.subdomain = subdomain }
            }
            return json(["subdomain": .string(company.subdomain)])
        }
        control.get("state") { _ in
            let state = company.state.withLockedValue { $0 }
            return json(["subdomain": .string(state.subdomain), "employees": .int(state.employees.count), "requests": .int(state.requests)])
        }
    }

    func json(_ body: JSON) -> Response {
        Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: body.encoded()))
    }
}
