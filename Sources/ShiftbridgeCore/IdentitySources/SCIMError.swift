import Foundation

/// A SCIM error (RFC 7644 §3.12): the HTTP status, the `scimType` where one applies, and a
/// detail that says what to fix.
public struct SCIMError: Error, Equatable, Sendable {
    public enum Kind: String, Sendable {
        case invalidFilter, tooMany, uniqueness, mutability, invalidSyntax, invalidPath, noTarget, invalidValue
    }

    public var status: Int
    public var kind: Kind?
    public var detail: String

    public init(status: Int, _ kind: Kind?, _ detail: String) {
        self.status = status
        self.kind = kind
        self.detail = detail
    }

    public static func invalidSyntax(_ detail: String) -> SCIMError { SCIMError(status: 400, .invalidSyntax, detail) }
    public static func invalidValue(_ detail: String) -> SCIMError { SCIMError(status: 400, .invalidValue, detail) }
    public static func invalidFilter(_ detail: String) -> SCIMError { SCIMError(status: 400, .invalidFilter, detail) }
    public static func invalidPath(_ detail: String) -> SCIMError { SCIMError(status: 400, .invalidPath, detail) }
    public static func noTarget(_ detail: String) -> SCIMError { SCIMError(status: 400, .noTarget, detail) }
    public static func notFound(_ detail: String) -> SCIMError { SCIMError(status: 404, nil, detail) }

    /// The body SCIM clients expect.
    public var json: JSON {
        var body: [String: JSON] = [
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": .string(String(status)),
            "detail": .string(detail),
        ]
        if let kind { body["scimType"] = .string(kind.rawValue) }
        return .object(body)
    }
}
