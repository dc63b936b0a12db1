import Fluent
import Foundation
import ShiftbridgeCore

/// A user an identity provider pushed over SCIM: its document as the provider last set it,
/// and the employee it stands for (fixed when it was created).
final class SCIMUser: Model, @unchecked Sendable {
    static let schema = "scim_users"

    @ID(key: .id) var id: UUID?
    /// `userName` folded to lower case: unique, as SCIM compares it ignoring case.
    @Field(key: "user_name") var userName: String
    @OptionalField(key: "external_id") var externalID: String?
    @Field(key: "employee_id") var employeeID: String
    @Field(key: "active") var active: Bool
    @Field(key: "document") var documentJSON: String
    @Field(key: "version") var version: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    init(id: UUID, document: SCIMUserDocument, employeeID: String, at now: Date) {
        self.id = id
        self.employeeID = employeeID
        self.createdAt = now
        self.version = 0
        update(document, at: now)
    }

    var document: SCIMUserDocument {
        guard case .object(let fields)? = JSON.parse(Data(documentJSON.utf8)) else { return SCIMUserDocument() }
        return SCIMUserDocument(attributes: fields)
    }

    func update(_ document: SCIMUserDocument, at now: Date) {
        userName = (document.userName ?? "").lowercased()
        externalID = document.externalID
        active = document.active
        documentJSON = String(decoding: JSON.object(document.attributes).encoded(), as: UTF8.self)
        version += 1
        updatedAt = now
    }

    /// The resource as SCIM answers it, with its location under `base`.
    func resource(base: String) -> JSON {
        let id = self.id?.uuidString.lowercased() ?? ""
        return document.resource(id: id, meta: [
            "resourceType": "User", "created": .string(SCIMUser.timestamp(createdAt)), "lastModified": .string(SCIMUser.timestamp(updatedAt)),
            "location": .string("\(base)/Users/\(id)"), "version": .string("W/\"\(version)\""),
        ])
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }
}
