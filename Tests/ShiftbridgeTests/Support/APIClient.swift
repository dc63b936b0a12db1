import Foundation
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

/// The JSON API as a script calls it, with a bearer token, decoding the same DTOs the app
/// encodes: a renamed or retyped field fails to compile or to decode, not silently.
struct APIClient: Sendable {
    let app: Application
    let token: String

    struct Failure: Error, CustomStringConvertible {
        let status: HTTPResponseStatus
        let body: String
        var description: String { "\(status.code): \(body)" }
    }

    /// An answer whatever its status: its text for error checks, or decoded as the DTO the
    /// app encoded.
    struct Reply {
        let status: HTTPResponseStatus
        let text: String
        let response: TestingHTTPResponse

        func decode<Answer: Decodable>(_ type: Answer.Type) throws -> Answer {
            guard (200..<300).contains(status.code) else { throw Failure(status: status, body: text) }
            return try response.content.decode(Answer.self)
        }

        var error: ErrorBody.Detail {
            get throws { try response.content.decode(ErrorBody.self).error }
        }
    }

    /// Sends any JSON body, as a script (or an attacker) may: for checking what the API refuses.
    func call(_ method: HTTPMethod, _ path: String, _ json: [String: Any]? = nil) async throws -> Reply {
        var headers: HTTPHeaders = ["Authorization": "Bearer \(token)"]
        var body: ByteBuffer?
        if let json {
            headers.contentType = .json
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        return Reply(status: response.status, text: response.body.string, response: response)
    }

    /// The raw answer, whatever its status.
    func send(_ method: HTTPMethod, _ path: String, json body: (any Encodable & Sendable)? = nil) async throws -> TestingHTTPResponse {
        var headers: HTTPHeaders = ["Authorization": "Bearer \(token)"]
        var buffer: ByteBuffer?
        if let body {
            headers.contentType = .json
            buffer = ByteBuffer(data: try JSONEncoder().encode(body))
        }
        return try await app.testing().sendRequest(method, path, headers: headers, body: buffer)
    }

    /// A successful answer decoded as `type`; any other status throws with the body.
    func call<Answer: Decodable>(_ method: HTTPMethod, _ path: String, json body: (any Encodable & Sendable)? = nil, as type: Answer.Type) async throws -> Answer {
        let response = try await send(method, path, json: body)
        guard (200..<300).contains(response.status.code) else { throw Failure(status: response.status, body: response.body.string) }
        return try response.content.decode(Answer.self)
    }

    func get<Answer: Decodable>(_ path: String, as type: Answer.Type) async throws -> Answer {
        try await call(.GET, path, as: type)
    }

    /// The error an unsuccessful call answers with.
    func error(_ method: HTTPMethod, _ path: String, json body: (any Encodable & Sendable)? = nil) async throws -> (status: HTTPResponseStatus, error: ErrorBody.Detail) {
        let response = try await send(method, path, json: body)
        return (response.status, try response.content.decode(ErrorBody.self).error)
    }

    // MARK: Common calls

    @discardableResult
    func addPerson(_ name: String, _ email: String) async throws -> PeopleAPIController.PersonDTO {
        try await call(.POST, "/api/v1/people", json: PeopleDirectory.Input(email: email, name: name), as: PeopleAPIController.PersonDTO.self)
    }

    @discardableResult
    func createRotation(_ input: RotationInput) async throws -> RotationsAPIController.RotationDTO {
        try await call(.POST, "/api/v1/rotations", json: input, as: RotationsAPIController.RotationDTO.self)
    }

    @discardableResult
    func setSchedule(_ code: String, _ input: ScheduleInput) async throws -> RotationsAPIController.RotationDTO {
        try await call(.PUT, "/api/v1/rotations/\(code)/schedule", json: input, as: RotationsAPIController.RotationDTO.self)
    }

    func onDuty(_ code: String) async throws -> [String] {
        try await get("/api/v1/rotations/\(code)/on-duty", as: RotationsAPIController.OnDuty.self).on_duty.compactMap(\.email)
    }

    func auditEvents(_ query: String = "") async throws -> [AuditAPIController.EventDTO] {
        try await get("/api/v1/audit-events" + query, as: AuditAPIController.EventList.self).events
    }
}

