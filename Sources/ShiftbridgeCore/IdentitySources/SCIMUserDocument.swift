import Foundation

/// A SCIM User as stored: the attributes a client set, checked against `SCIMSchema` (core
/// attributes at the top, enterprise ones inside their URN, `externalId` beside them).
/// Creating, replacing and patching it is pure; so is the employee it stands for.
public struct SCIMUserDocument: Equatable, Sendable {
    public internal(set) var attributes: [String: JSON]

    public init(attributes: [String: JSON] = [:]) {
        self.attributes = attributes
    }

    /// Attributes a client may send that are kept elsewhere or not at all (RFC 7643: read-only
    /// values sent in are ignored; a password is never stored here).
    static let ignored: Set<String> = ["id", "meta", "groups", "password", "schemas"]

    /// A POST or PUT body made a document: every attribute known and of its type, `userName` set.
    public static func from(body: JSON) throws -> SCIMUserDocument {
        guard case .object(let fields) = body else { throw SCIMError.invalidSyntax("The body must be a JSON object: a SCIM User") }
        if let schemas = SCIMAttributePath.field("schemas", in: body) {
            guard let list = schemas.array, list.allSatisfy({ $0.string != nil }) else { throw SCIMError.invalidSyntax("schemas must be a list of schema URNs") }
            for urn in list.compactMap(\.string) where !SCIMSchema.all.contains(where: { $0.id.caseInsensitiveCompare(urn) == .orderedSame }) {
                throw SCIMError.invalidValue("Schema \(urn) is not one this service keeps: use \(SCIMSchema.all.map(\.id).joined(separator: " and "))")
            }
        }
        var document = SCIMUserDocument()
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) where !ignored.contains(key) && !ignored.contains(key.lowercased()) {
            if key.lowercased().hasPrefix("urn:") && SCIMSchema.all.dropFirst().contains(where: { $0.id.caseInsensitiveCompare(key) == .orderedSame }) {
                guard case .object(let extensionFields) = value else { throw SCIMError.invalidSyntax("\(key) must be an object of its attributes") }
                for (name, field) in extensionFields where !ignored.contains(name) {
                    try document.apply(.replace, SCIMAttributePath(schema: SCIMSchema.enterpriseURN, attribute: name), field)
                }
            } else {
                try document.apply(.replace, try SCIMAttributePath.parse(key), value)
            }
        }
        guard let userName = document.userName, !userName.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SCIMError.invalidValue("userName is required: the person's unique sign-in name, usually their email address")
        }
        return document
    }

    // MARK: What it says

    public var userName: String? { attributes["userName"]?.string }
    public var externalID: String? { attributes["externalId"]?.string }
    /// Absent means active, as RFC 7643 leaves it to the provider and identity providers assume.
    public var active: Bool { attributes["active"]?.bool ?? true }
    public var enterprise: [String: JSON] {
        if case .object(let fields) = attributes[SCIMSchema.enterpriseURN] { return fields }
        return [:]
    }

    /// The primary email, else the work one, else the first, else `userName` if it is an address.
    public var email: String? {
        let emails = attributes["emails"]?.array ?? []
        let chosen = emails.first { $0["primary"]?.bool == true } ?? emails.first { $0["type"]?.string?.lowercased() == "work" } ?? emails.first
        if let address = chosen?["value"]?.string.flatMap(EmailAddress.validated) { return address }
        return userName.flatMap(EmailAddress.validated)
    }

    /// The employee this user stands for, as a CSV row would describe them.
    public func employee(id: String, managerEmail: String?) -> Employee {
        let name = attributes["name"]
        var extra: [String: String] = [:]
        for key in ["userType", "locale", "preferredLanguage"] { if let value = attributes[key]?.string { extra[key] = value } }
        for key in ["division", "costCenter", "organization", "employeeNumber"] { if let value = enterprise[key]?.string { extra[key] = value } }
        if let userName { extra["userName"] = userName }
        return Employee(employeeID: id, email: email ?? userName ?? "", firstName: name?["givenName"]?.string, lastName: name?["familyName"]?.string,
                        fullName: name?["formatted"]?.string ?? attributes["displayName"]?.string, status: active ? .active : .terminated,
                        department: enterprise["department"]?.string, title: attributes["title"]?.string, managerEmail: managerEmail,
                        timeZone: attributes["timezone"]?.string, attributes: extra)
    }

    /// The resource as SCIM answers it.
    public func resource(id: String, meta: JSON) -> JSON {
        var body = attributes
        body["id"] = .string(id)
        body["meta"] = meta
        body["schemas"] = .array(([SCIMSchema.userURN] + (enterprise.isEmpty ? [] : [SCIMSchema.enterpriseURN])).map(JSON.string))
        return .object(body)
    }
}
