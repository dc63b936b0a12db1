import Foundation

/// `attributes` and `excludedAttributes` (RFC 7644 §3.9): which attributes an answer carries.
/// `id` and `schemas` are always returned.
public enum SCIMProjection {
    public static func apply(to resource: JSON, attributes: [String], excluded: [String]) throws -> JSON {
        guard case .object(let fields) = resource, !(attributes.isEmpty && excluded.isEmpty) else { return resource }
        let always: Set<String> = ["id", "schemas"]
        if !attributes.isEmpty {
            var kept = fields.filter { always.contains($0.key) }
            for text in attributes {
                let path = try SCIMAttributePath.parse(text)
                let key = path.schema.flatMap { $0 == SCIMSchema.userURN ? nil : $0 }
                let source = key.map { fields[$0] ?? .null } ?? resource
                guard let name = keyMatching(path.attribute, in: source), let value = SCIMAttributePath.field(name, in: source) else { continue }
                let chosen = path.subAttribute.map { sub in narrowed(value, to: sub) } ?? value
                guard let chosen else { continue }
                if let key {
                    var inner: [String: JSON] = [:]
                    if case .object(let existing)? = kept[key] { inner = existing }
                    inner[name] = merged(inner[name], chosen)
                    kept[key] = .object(inner)
                } else {
                    kept[name] = merged(kept[name], chosen)
                }
            }
            return .object(kept)
        }
        var kept = fields
        for text in excluded {
            let path = try SCIMAttributePath.parse(text)
            let key = path.schema.flatMap { $0 == SCIMSchema.userURN ? nil : $0 }
            if let key, case .object(var inner)? = kept[key] {
                if let name = keyMatching(path.attribute, in: .object(inner)) { inner[name] = nil }
                kept[key] = inner.isEmpty ? nil : .object(inner)
            } else if key == nil, let name = keyMatching(path.attribute, in: .object(kept)), !always.contains(name) {
                kept[name] = nil
            }
        }
        return .object(kept)
    }

    static func keyMatching(_ name: String, in object: JSON) -> String? {
        guard case .object(let fields) = object else { return nil }
        return fields.keys.first { $0.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// Only `sub` of a complex value (of each element, for a list).
    static func narrowed(_ value: JSON, to sub: String) -> JSON? {
        if let items = value.array {
            let narrowedItems = items.compactMap { narrowed($0, to: sub) }
            return narrowedItems.isEmpty ? nil : .array(narrowedItems)
        }
        guard let name = keyMatching(sub, in: value), let inner = SCIMAttributePath.field(name, in: value) else { return nil }
        return .object([name: inner])
    }

    static func merged(_ old: JSON?, _ new: JSON) -> JSON {
        guard let old else { return new }
        if case .object = old, case .object = new { return SCIMUserDocument.merging(new, into: old) }
        return new
    }
}
