import ShiftbridgeCore
import Vapor

/// A SCIM answer: JSON as `application/scim+json`.
enum SCIMResponse {
    static func make(_ status: HTTPResponseStatus, _ body: JSON) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "scim+json", parameters: ["charset": "utf-8"])
        return Response(status: status, headers: headers, body: .init(data: body.encoded()))
    }
}
