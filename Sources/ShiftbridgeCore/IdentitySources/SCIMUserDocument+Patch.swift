import Foundation

/// PATCH (RFC 7644 §3.5.2): add, remove and replace, with or without a path, on simple,
/// complex, multi-valued and extension attributes, including value filters such as
/// `emails[type eq "work"].value`. Operation names are read ignoring case ("Replace", as
/// Entra ID sends them); a change applies whole or not at all.
extension SCIMUserDocument {
    public enum Operation: String, Sendable { case add, remove, replace }

    public static let patchURN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    /// Applies a PatchOp body. Throws (leaving the document as it was) on any bad operation.
    public mutating func patch(_ body: JSON) throws {
        guard let operations = SCIMAttributePath.field("Operations", in: body)?.array, !operations.isEmpty else {
            throw SCIMError.invalidSyntax("A PATCH body needs \"Operations\": a list of {\"op\", \"path\", \"value\"}")
        }
        var copy = self
        for (index, operation) in operations.enumerated() {
            guard let name = SCIMAttributePath.field("op", in: operation)?.string, let op = Operation(rawValue: name.lowercased()) else {
                throw SCIMError.invalidSyntax("Operations[\(index)].op must be add, remove or replace")
            }
            let value = SCIMAttributePath.field("value", in: operation)
            if let path = SCIMAttributePath.field("path", in: operation)?.string, !path.isEmpty {
                guard op == .remove || value != nil else { throw SCIMError.invalidSyntax("Operations[\(index)] (\(name) \(path)) needs a value") }
                if let schema = SCIMSchema.all.dropFirst().first(where: { $0.id.caseInsensitiveCompare(path) == .orderedSame }) {
                    // The whole extension: removed, or its attributes set from an object.
                    if op == .replace || op == .remove { copy.attributes[schema.id] = nil }
                    guard op != .remove else { continue }
                    guard case .object(let fields)? = value else { throw SCIMError.invalidSyntax("\(path) takes an object of its attributes") }
                    for (sub, subValue) in fields where !Self.ignored.contains(sub) { try copy.apply(op, SCIMAttributePath(schema: schema.id, attribute: sub), subValue) }
                    continue
                }
                try copy.apply(op, try SCIMAttributePath.parse(path), value ?? .null)
            } else {
                guard op != .remove else { throw SCIMError.noTarget("Operations[\(index)]: remove needs a path naming what to remove") }
                guard case .object(let fields)? = value else {
                    throw SCIMError.invalidSyntax("Operations[\(index)]: without a path, the value must be an object of attributes")
                }
                for (key, field) in fields.sorted(by: { $0.key < $1.key }) where !Self.ignored.contains(key) {
                    if SCIMSchema.all.dropFirst().contains(where: { $0.id.caseInsensitiveCompare(key) == .orderedSame }) {
                        guard case .object(let extensionFields) = field else { throw SCIMError.invalidSyntax("\(key) must be an object of its attributes") }
                        for (sub, subValue) in extensionFields where !Self.ignored.contains(sub) {
                            try copy.apply(op, SCIMAttributePath(schema: SCIMSchema.enterpriseURN, attribute: sub), subValue)
                        }
                    } else {
                        try copy.apply(op, try SCIMAttributePath.parse(key), field)
                    }
                }
            }
        }
        guard let userName = copy.userName, !userName.isEmpty else { throw SCIMError(status: 400, .mutability, "userName is required and cannot be removed") }
        self = copy
    }

    /// The definition a path names, and where its value is kept (nil: at the top).
    func definition(_ path: SCIMAttributePath) throws -> (SCIMAttribute, extensionKey: String?) {
        if path.schema == nil || path.schema == SCIMSchema.userURN {
            if let attribute = SCIMSchema.user.attribute(path.attribute) { return (attribute, nil) }
            if path.attribute.caseInsensitiveCompare("externalId") == .orderedSame {
                return (SCIMAttribute("externalId", "The identity provider's own id for the person"), nil)
            }
        }
        if path.schema == nil || path.schema == SCIMSchema.enterpriseURN, let attribute = SCIMSchema.enterprise.attribute(path.attribute) {
            return (attribute, SCIMSchema.enterpriseURN)
        }
        let known = (SCIMSchema.user.attributes.map(\.name) + ["externalId"] + SCIMSchema.enterprise.attributes.map { "\(SCIMSchema.enterpriseURN):\($0.name)" })
        throw SCIMError.invalidPath("Unknown attribute \(path.attribute): Users here take \(known.joined(separator: ", "))")
    }

    func stored(_ name: String, extensionKey: String?) -> JSON? {
        guard let extensionKey else { return attributes[name] }
        if case .object(let fields) = attributes[extensionKey] { return fields[name] }
        return nil
    }

    mutating func store(_ value: JSON?, _ name: String, extensionKey: String?) {
        guard let extensionKey else { attributes[name] = value; return }
        var fields: [String: JSON] = [:]
        if case .object(let existing) = attributes[extensionKey] { fields = existing }
        fields[name] = value
        attributes[extensionKey] = fields.isEmpty ? nil : .object(fields)
    }

    /// One operation on one path.
    mutating func apply(_ op: Operation, _ path: SCIMAttributePath, _ value: JSON) throws {
        let (definition, extensionKey) = try definition(path)
        let name = definition.name
        let label = extensionKey.map { "\($0):\(name)" } ?? name
        if definition.mutability == .readOnly { return }
        let current = stored(name, extensionKey: extensionKey)

        // A sub-attribute, or elements chosen by a filter: only complex attributes have them.
        if path.subAttribute != nil || path.filter != nil {
            guard definition.kind == .complex else { throw SCIMError.invalidPath("\(label) has no sub-attributes") }
            let sub = try path.subAttribute.map { subName in
                guard let sub = definition.sub(subName) else {
                    throw SCIMError.invalidPath("\(label) has no \(subName): it has \(definition.subAttributes.map(\.name).joined(separator: ", "))")
                }
                return sub
            }
            if !definition.multiValued {
                guard let sub else { throw SCIMError.invalidPath("\(label) is not multi-valued: a filter does not apply") }
                var object: [String: JSON] = [:]
                if case .object(let fields)? = current { object = fields }
                object[sub.name] = op == .remove ? nil : try sub.normalise(value, at: "\(label).\(sub.name)")
                store(object.isEmpty ? nil : .object(object), name, extensionKey: extensionKey)
                return
            }
            var items = current?.array ?? []
            let chosen = items.indices.filter { path.filter?.matches(items[$0]) ?? true }
            switch (op, sub) {
            case (.remove, nil):
                items = items.enumerated().filter { !chosen.contains($0.offset) }.map(\.element)
            case (.remove, let sub?):
                for index in chosen { items[index] = Self.setting(sub.name, nil, in: items[index]) }
            case (_, let sub?):
                let newValue = try sub.normalise(value, at: "\(label).\(sub.name)")
                if chosen.isEmpty {
                    // `emails[type eq "work"].value` with no work email yet: the element is made.
                    guard let seed = path.filter.flatMap(Self.equalities) ?? (path.filter == nil ? [:] : nil) else {
                        throw SCIMError.noTarget("No element of \(label) matches the filter")
                    }
                    var element = seed
                    element[sub.name] = newValue
                    items.append(.object(element))
                } else {
                    for index in chosen { items[index] = Self.setting(sub.name, newValue, in: items[index]) }
                }
            case (_, nil):
                guard let replacement = try definition.single(value, at: label) else {
                    items = items.enumerated().filter { !chosen.contains($0.offset) }.map(\.element)
                    break
                }
                if chosen.isEmpty {
                    guard op == .add else { throw SCIMError.noTarget("No element of \(label) matches the filter") }
                    items.append(replacement)
                }
                for index in chosen { items[index] = op == .replace ? replacement : Self.merging(replacement, into: items[index]) }
            }
            store(Self.onePrimary(items.isEmpty ? nil : .array(items)), name, extensionKey: extensionKey)
            return
        }

        switch op {
        case .remove:
            store(nil, name, extensionKey: extensionKey)
        case .replace:
            store(Self.onePrimary(try definition.normalise(value, at: label)), name, extensionKey: extensionKey)
        case .add:
            let added = try definition.normalise(value, at: label)
            if definition.multiValued, let existing = current?.array, let new = added?.array {
                store(Self.onePrimary(.array(existing + new.filter { !existing.contains($0) })), name, extensionKey: extensionKey)
            } else if definition.kind == .complex, let current, let added {
                store(Self.merging(added, into: current), name, extensionKey: extensionKey)
            } else {
                store(Self.onePrimary(added), name, extensionKey: extensionKey)
            }
        }
    }

    static func setting(_ name: String, _ value: JSON?, in element: JSON) -> JSON {
        guard case .object(var fields) = element else { return element }
        fields[name] = value
        return .object(fields)
    }

    static func merging(_ new: JSON, into old: JSON) -> JSON {
        guard case .object(var fields) = old, case .object(let added) = new else { return new }
        for (key, value) in added { fields[key] = value }
        return .object(fields)
    }

    /// The `attr eq "value"` parts of a filter, which a new element takes on.
    static func equalities(_ filter: SCIMFilter) -> [String: JSON]? {
        switch filter {
        case .compare(let path, .eq, let value) where path.subAttribute == nil: return [path.attribute: value]
        case .and(let terms):
            var merged: [String: JSON] = [:]
            for term in terms {
                guard let found = equalities(term) else { return nil }
                merged.merge(found) { a, _ in a }
            }
            return merged
        default: return nil
        }
    }

    /// At most one element of a list is primary (RFC 7643 §2.4): the last one set wins.
    static func onePrimary(_ value: JSON?) -> JSON? {
        guard let items = value?.array, let last = items.lastIndex(where: { $0["primary"]?.bool == true }) else { return value }
        return .array(items.enumerated().map { index, item in
            index == last || item["primary"] == nil ? item : setting("primary", .bool(false), in: item)
        })
    }
}
