import Foundation

/// An attribute named in a filter or a PATCH path: `userName`, `name.givenName`,
/// `urn:…:enterprise:2.0:User:department`, optionally `emails[type eq "work"].value`.
public struct SCIMAttributePath: Equatable, Sendable {
    /// The schema URN given in front, if any.
    public var schema: String?
    public var attribute: String
    public var filter: SCIMFilter?
    public var subAttribute: String?

    public init(schema: String? = nil, attribute: String, filter: SCIMFilter? = nil, subAttribute: String? = nil) {
        self.schema = schema
        self.attribute = attribute
        self.filter = filter
        self.subAttribute = subAttribute
    }

    public static func parse(_ path: String) throws -> SCIMAttributePath {
        // Quoted back in errors, cut short when long.
        let text = path.count > 100 ? String(path.prefix(100)) + "…" : path
        var rest = Substring(path.trimmingCharacters(in: .whitespaces))
        var schema: String?
        if rest.lowercased().hasPrefix("urn:") {
            guard let known = SCIMSchema.all.map(\.id).first(where: { rest.lowercased().hasPrefix($0.lowercased() + ":") }) else {
                throw SCIMError.invalidPath("\(text) names a schema this service does not keep (\(SCIMSchema.all.map(\.id).joined(separator: ", ")))")
            }
            schema = known
            rest = rest.dropFirst(known.count + 1)
        }
        var filter: SCIMFilter?
        var attribute: Substring
        var sub: Substring?
        if let open = rest.firstIndex(of: "[") {
            guard let close = rest.lastIndex(of: "]"), close > open else { throw SCIMError.invalidPath("\(text): '[' is not closed") }
            attribute = rest[..<open]
            filter = try SCIMFilter.parse(String(rest[rest.index(after: open)..<close]))
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.first == "." else { throw SCIMError.invalidPath("\(text): expected '.' after ']'") }
                sub = after.dropFirst()
            }
        } else if let dot = rest.firstIndex(of: ".") {
            attribute = rest[..<dot]
            sub = rest[rest.index(after: dot)...]
        } else {
            attribute = rest
        }
        let valid = { (name: Substring) in !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "$" } }
        guard valid(attribute), sub.map(valid) ?? true else { throw SCIMError.invalidPath("\(text) is not an attribute path") }
        return SCIMAttributePath(schema: schema, attribute: String(attribute), filter: filter, subAttribute: sub.map(String.init))
    }

    /// Looks `name` up in `object` ignoring case, as SCIM names are.
    static func field(_ name: String, in object: JSON) -> JSON? {
        guard case .object(let fields) = object else { return nil }
        return fields[name] ?? fields.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Where the attribute sits in a stored resource: at the top, or inside its extension.
    func container(in resource: JSON) -> JSON? {
        if let schema, schema != SCIMSchema.userURN { return Self.field(schema, in: resource) }
        // `id`, `externalId` and core attributes are at the top; an unqualified extension
        // attribute (a filter on `department`) is found in the extension too.
        if Self.field(attribute, in: resource) != nil { return resource }
        return SCIMSchema.all.dropFirst().lazy.compactMap { Self.field($0.id, in: resource) }.first { Self.field(attribute, in: $0) != nil }
    }

    /// The attribute's elements (a multi-valued attribute's items; a single value as one).
    func elements(in resource: JSON) -> [JSON] {
        guard let container = container(in: resource), let value = Self.field(attribute, in: container) else { return [] }
        let items = value.array ?? [value]
        return filter.map { filter in items.filter { filter.matches($0) } } ?? items
    }

    /// The simple values the path names, for comparison: a complex element compares by its `value`.
    func values(in resource: JSON) -> [JSON] {
        elements(in: resource).compactMap { element in
            if let subAttribute { return Self.field(subAttribute, in: element) }
            if case .object = element { return Self.field("value", in: element) }
            return element
        }
        .flatMap { $0.array ?? [$0] }
    }
}
