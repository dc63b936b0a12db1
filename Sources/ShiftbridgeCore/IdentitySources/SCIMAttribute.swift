import Foundation

/// One attribute of a SCIM schema (RFC 7643 §7), as published at `/Schemas` and enforced on
/// every write.
public struct SCIMAttribute: Sendable {
    public enum Kind: String, Sendable { case string, boolean, complex, integer }
    public enum Mutability: String, Sendable { case readOnly, readWrite, immutable, writeOnly }

    public var name: String
    public var kind: Kind
    public var multiValued = false
    public var required = false
    public var mutability = Mutability.readWrite
    public var unique = false
    public var description: String
    public var subAttributes: [SCIMAttribute] = []
    public var canonicalValues: [String] = []

    public init(_ name: String, _ description: String, kind: Kind = .string, multiValued: Bool = false, required: Bool = false,
                mutability: Mutability = .readWrite, unique: Bool = false, canonicalValues: [String] = [],
                subAttributes: [SCIMAttribute] = []) {
        self.name = name
        self.kind = kind
        self.multiValued = multiValued
        self.required = required
        self.mutability = mutability
        self.unique = unique
        self.description = description
        self.subAttributes = subAttributes
        self.canonicalValues = canonicalValues
    }

    /// The sub-attribute called `name`, matched as SCIM matches names: ignoring case.
    public func sub(_ name: String) -> SCIMAttribute? {
        subAttributes.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// The attribute's definition as `/Schemas` publishes it.
    public var json: JSON {
        var body: [String: JSON] = [
            "name": .string(name), "type": .string(kind.rawValue), "multiValued": .bool(multiValued),
            "description": .string(description), "required": .bool(required), "mutability": .string(mutability.rawValue),
            "returned": .string(mutability == .writeOnly ? "never" : "default"), "uniqueness": .string(unique ? "server" : "none"),
        ]
        if kind == .string { body["caseExact"] = .bool(false) }
        if !canonicalValues.isEmpty { body["canonicalValues"] = .array(canonicalValues.map(JSON.string)) }
        if !subAttributes.isEmpty { body["subAttributes"] = .array(subAttributes.map(\.json)) }
        return .object(body)
    }

    /// `value` checked against the definition and put in canonical form: names as the schema
    /// spells them, booleans sent as strings ("False", as Entra ID does) made booleans, a single
    /// value given to a multi-valued attribute made a list. `null` or an empty list clears it.
    public func normalise(_ value: JSON, at path: String) throws -> JSON? {
        if value == .null { return nil }
        if multiValued {
            let items = value.array ?? [value]
            let normalised = try items.enumerated().compactMap { index, item in try single(item, at: "\(path)[\(index)]") }
            return normalised.isEmpty ? nil : .array(normalised)
        }
        return try single(value, at: path)
    }

    func single(_ value: JSON, at path: String) throws -> JSON? {
        switch (kind, value) {
        case (_, .null): return nil
        case (.string, .string): return value
        case (.boolean, .bool): return value
        case (.boolean, .string(let text)):
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw SCIMError.invalidValue("\(path) must be true or false, not \"\(text)\"")
            }
        case (.integer, .int): return value
        case (.complex, .object(let fields)):
            var result: [String: JSON] = [:]
            for (key, field) in fields {
                guard let sub = sub(key) else {
                    throw SCIMError.invalidSyntax("Unknown attribute \(path).\(key): \(name) has \(subAttributes.map(\.name).joined(separator: ", "))")
                }
                if sub.mutability == .readOnly { continue }
                if let normalised = try sub.normalise(field, at: "\(path).\(sub.name)") { result[sub.name] = normalised }
            }
            return result.isEmpty ? nil : .object(result)
        default:
            throw SCIMError.invalidValue("\(path) must be \(kind == .complex ? "an object" : kind == .boolean ? "true or false" : "a \(kind.rawValue)")")
        }
    }
}
