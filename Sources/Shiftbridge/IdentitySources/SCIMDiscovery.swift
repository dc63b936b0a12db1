import Foundation
import ShiftbridgeCore

/// What `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas` publish: exactly what the
/// service honours (PATCH and filters yes; bulk, sorting, ETags and passwords no).
enum SCIMDiscovery {
    static let listURN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"

    static func list(_ resources: [JSON], total: Int? = nil, startIndex: Int = 1) -> JSON {
        ["schemas": [.string(listURN)], "totalResults": .int(total ?? resources.count), "startIndex": .int(startIndex),
         "itemsPerPage": .int(resources.count), "Resources": .array(resources)]
    }

    static func serviceProviderConfig(base: String) -> JSON {
        [
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "documentationUri": "https://github.com/shiftbridge/shiftbridge#scim",
            "patch": ["supported": true],
            "bulk": ["supported": false, "maxOperations": 0, "maxPayloadSize": 0],
            "filter": ["supported": true, "maxResults": .int(SCIMDirectory.maxPageSize)],
            "changePassword": ["supported": false],
            "sort": ["supported": false],
            "etag": ["supported": false],
            "authenticationSchemes": [[
                "type": "oauthbearertoken", "name": "Bearer token", "primary": true,
                "description": "A token made under Settings → SCIM, sent as Authorization: Bearer <token>",
            ]],
            "meta": ["resourceType": "ServiceProviderConfig", "location": .string("\(base)/ServiceProviderConfig")],
        ]
    }

    static func userResourceType(base: String) -> JSON {
        [
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "User", "name": "User", "endpoint": "/Users",
            "description": "People, who become employees for provisioning",
            "schema": .string(SCIMSchema.userURN),
            "schemaExtensions": [["schema": .string(SCIMSchema.enterpriseURN), "required": false]],
            "meta": ["resourceType": "ResourceType", "location": .string("\(base)/ResourceTypes/User")],
        ]
    }

    static func schema(_ schema: SCIMSchema, base: String) -> JSON {
        schema.json(location: "\(base)/Schemas/\(schema.id)")
    }
}
