import Foundation

/// The SCIM schemas this service provider keeps (RFC 7643 §4.1 and §4.3): the attributes of
/// a User it stores and gives back, no more, so what it publishes is what it honours.
public struct SCIMSchema: Sendable {
    public var id: String
    public var name: String
    public var description: String
    public var attributes: [SCIMAttribute]

    public static let userURN = "urn:ietf:params:scim:schemas:core:2.0:User"
    public static let enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

    public func attribute(_ name: String) -> SCIMAttribute? {
        attributes.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    private static let typed: [SCIMAttribute] = [
        SCIMAttribute("value", "The value"),
        SCIMAttribute("type", "A label: work, home or other", canonicalValues: ["work", "home", "other"]),
        SCIMAttribute("primary", "The primary one of the list", kind: .boolean),
    ]

    public static let user = SCIMSchema(id: userURN, name: "User", description: "A person, who becomes an employee for provisioning", attributes: [
        SCIMAttribute("userName", "Unique sign-in name; an email address unless emails gives one", required: true, unique: true),
        SCIMAttribute("name", "The person's name", kind: .complex, subAttributes: [
            SCIMAttribute("formatted", "The full name, as displayed"),
            SCIMAttribute("familyName", "Family name"),
            SCIMAttribute("givenName", "Given name"),
        ]),
        SCIMAttribute("displayName", "The name to display"),
        SCIMAttribute("title", "Job title"),
        SCIMAttribute("userType", "Relationship to the organisation, such as Employee or Contractor"),
        SCIMAttribute("preferredLanguage", "Preferred language, such as en-US"),
        SCIMAttribute("locale", "Locale, such as en-US"),
        SCIMAttribute("timezone", "Time zone, such as America/New_York"),
        SCIMAttribute("active", "False: the person has left (a termination, reviewed before PagerDuty changes)", kind: .boolean),
        SCIMAttribute("emails", "Email addresses; the primary (or work) one is the employee's", kind: .complex, multiValued: true, subAttributes: typed),
        SCIMAttribute("phoneNumbers", "Phone numbers", kind: .complex, multiValued: true, subAttributes: typed),
    ])

    public static let enterprise = SCIMSchema(id: enterpriseURN, name: "EnterpriseUser", description: "Enterprise attributes of a User", attributes: [
        SCIMAttribute("employeeNumber", "The HR number; the employee's id when given at creation"),
        SCIMAttribute("costCenter", "Cost center"),
        SCIMAttribute("organization", "Organization"),
        SCIMAttribute("division", "Division"),
        SCIMAttribute("department", "Department"),
        SCIMAttribute("manager", "The person's manager", kind: .complex, subAttributes: [
            SCIMAttribute("value", "The manager's SCIM id"),
        ]),
    ])

    public static let all = [user, enterprise]

    /// The schema as `/Schemas/{id}` publishes it.
    public func json(location: String) -> JSON {
        [
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
            "id": .string(id), "name": .string(name), "description": .string(description),
            "attributes": .array(attributes.map(\.json)),
            "meta": ["resourceType": "Schema", "location": .string(location)],
        ]
    }
}
