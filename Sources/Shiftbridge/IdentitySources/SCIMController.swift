import Foundation
import ShiftbridgeCore
import Vapor

/// The SCIM 2.0 service provider at `/scim/v2` (RFC 7643/7644) that Okta and Entra ID push
/// people to, with a token from Settings → SCIM. Every answer, errors included, is SCIM JSON.
struct SCIMController {
    func boot(open routes: any RoutesBuilder) {
        let scim = routes.grouped("scim", "v2").grouped(SCIMTokenMiddleware())
        scim.get("ServiceProviderConfig") { req in SCIMResponse.make(.ok, SCIMDiscovery.serviceProviderConfig(base: try req.scimBase)) }
        scim.get("ResourceTypes") { req in SCIMResponse.make(.ok, SCIMDiscovery.list([SCIMDiscovery.userResourceType(base: try req.scimBase)])) }
        scim.get("ResourceTypes", ":id") { req in
            guard req.parameters.get("id") == "User" else { throw SCIMError.notFound("No resource type \(req.parameters.get("id") ?? ""): this service keeps User") }
            return SCIMResponse.make(.ok, SCIMDiscovery.userResourceType(base: try req.scimBase))
        }
        scim.get("Schemas") { req in
            let base = try req.scimBase
            return SCIMResponse.make(.ok, SCIMDiscovery.list(SCIMSchema.all.map { SCIMDiscovery.schema($0, base: base) }))
        }
        scim.get("Schemas", ":id") { req in
            guard let schema = SCIMSchema.all.first(where: { $0.id == req.parameters.get("id") }) else {
                throw SCIMError.notFound("No schema \(req.parameters.get("id") ?? ""): this service keeps \(SCIMSchema.all.map(\.id).joined(separator: ", "))")
            }
            return SCIMResponse.make(.ok, SCIMDiscovery.schema(schema, base: try req.scimBase))
        }
        scim.get("Users", use: list)
        scim.on(.POST, "Users", ".search", bodyCap: "64kb", use: search)
        scim.on(.POST, "Users", bodyCap: "1mb", use: create)
        scim.get("Users", ":id", use: read)
        scim.on(.PUT, "Users", ":id", bodyCap: "1mb", use: replace)
        scim.on(.PATCH, "Users", ":id", bodyCap: "1mb", use: patch)
        scim.delete("Users", ":id", use: delete)
        scim.on(.POST, ".search", bodyCap: "64kb") { _ -> Response in
            throw SCIMError(status: 501, nil, "Search across resource types is not supported: POST /Users/.search")
        }
        // Discovery is read-only: other methods are not allowed there (405), not missing.
        for path in ["ServiceProviderConfig", "ResourceTypes", "Schemas"] {
            for method in [HTTPMethod.POST, .PUT, .PATCH, .DELETE] {
                scim.on(method, PathComponent(stringLiteral: path)) { _ -> Response in
                    throw SCIMError(status: 405, nil, "\(path) is read-only: use GET")
                }
            }
        }
        for method in [HTTPMethod.GET, .POST, .PUT, .PATCH, .DELETE] {
            scim.on(method, "**") { req -> Response in throw SCIMError.notFound("Nothing at \(req.url.path): this service serves /Users, /Schemas, /ResourceTypes and /ServiceProviderConfig") }
        }
    }

    struct Query {
        var filter: SCIMFilter?
        var startIndex = 1
        var count = 100
        var attributes: [String] = []
        var excluded: [String] = []
    }

    func list(req: Request) async throws -> Response {
        var query = Query()
        if let text = req.query[String.self, at: "filter"] { query.filter = try SCIMFilter.parse(text) }
        query.startIndex = try Self.integer(req.query[String.self, at: "startIndex"], "startIndex") ?? 1
        query.count = try Self.integer(req.query[String.self, at: "count"], "count") ?? 100
        query.attributes = Self.names(req.query[String.self, at: "attributes"])
        query.excluded = Self.names(req.query[String.self, at: "excludedAttributes"])
        return try await answer(query, req)
    }

    func search(req: Request) async throws -> Response {
        let body = try Self.body(req)
        var query = Query()
        if let text = body["filter"]?.string { query.filter = try SCIMFilter.parse(text) }
        query.startIndex = body["startIndex"]?.int ?? 1
        query.count = body["count"]?.int ?? 100
        query.attributes = body["attributes"]?.array?.compactMap(\.string) ?? []
        query.excluded = body["excludedAttributes"]?.array?.compactMap(\.string) ?? []
        return try await answer(query, req)
    }

    private func answer(_ query: Query, _ req: Request) async throws -> Response {
        let startIndex = max(query.startIndex, 1)
        let count = min(max(query.count, 0), SCIMDirectory.maxPageSize)
        let (total, users) = try await req.services.scimDirectory(req.db).list(filter: query.filter, startIndex: startIndex, count: count)
        let resources = try users.map { try SCIMProjection.apply(to: $0.resource(base: try req.scimBase), attributes: query.attributes, excluded: query.excluded) }
        return SCIMResponse.make(.ok, SCIMDiscovery.list(resources, total: total, startIndex: startIndex))
    }

    func create(req: Request) async throws -> Response {
        let document = try SCIMUserDocument.from(body: try Self.body(req))
        let user = try await req.services.scimDirectory(req.db).create(document, by: try req.scimToken)
        let resource = user.resource(base: try req.scimBase)
        let response = SCIMResponse.make(.created, resource)
        if let location = resource["meta"]?["location"]?.string { response.headers.replaceOrAdd(name: .location, value: location) }
        return response
    }

    func read(req: Request) async throws -> Response {
        let user = try await req.services.scimDirectory(req.db).find(req.parameters.get("id") ?? "")
        return SCIMResponse.make(.ok, try Self.projected(user, req))
    }

    func replace(req: Request) async throws -> Response {
        let document = try SCIMUserDocument.from(body: try Self.body(req))
        let user = try await req.services.scimDirectory(req.db).replace(req.parameters.get("id") ?? "", with: document, by: try req.scimToken)
        return SCIMResponse.make(.ok, try Self.projected(user, req))
    }

    func patch(req: Request) async throws -> Response {
        let user = try await req.services.scimDirectory(req.db).patch(req.parameters.get("id") ?? "", body: try Self.body(req), by: try req.scimToken)
        return SCIMResponse.make(.ok, try Self.projected(user, req))
    }

    func delete(req: Request) async throws -> Response {
        try await req.services.scimDirectory(req.db).delete(req.parameters.get("id") ?? "", by: try req.scimToken)
        return Response(status: .noContent)
    }

    // MARK: Reading requests

    static func body(_ req: Request) throws -> JSON {
        guard let buffer = req.body.data, let json = JSON.parse(Data(buffer.readableBytesView)) else {
            throw SCIMError.invalidSyntax("The body is not JSON: send a SCIM resource as application/scim+json")
        }
        return json
    }

    static func projected(_ user: SCIMUser, _ req: Request) throws -> JSON {
        try SCIMProjection.apply(to: user.resource(base: try req.scimBase), attributes: names(req.query[String.self, at: "attributes"]),
                                 excluded: names(req.query[String.self, at: "excludedAttributes"]))
    }

    static func names(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func integer(_ text: String?, _ name: String) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text) else { throw SCIMError.invalidValue("\(name) must be a whole number, not \(text)") }
        return value
    }
}
