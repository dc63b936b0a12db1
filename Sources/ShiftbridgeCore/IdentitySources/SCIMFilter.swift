import Foundation

/// A SCIM filter (RFC 7644 §3.4.2.2): comparisons (`eq ne co sw ew gt ge lt le`), `pr`,
/// `and`, `or`, `not (…)`, grouping, and value filters on multi-valued attributes
/// (`emails[type eq "work" and value co "@example.com"]`). Names and string values compare
/// ignoring case, as every attribute here is `caseExact: false`.
///
/// `and` and `or` hold their terms side by side, so a long chain is one wide node, not a deep
/// one; the parser bounds nesting and the number of terms (`SCIMFilterParser`), so building,
/// matching and freeing a filter never recurses further than `SCIMFilterParser.maxDepth`.
public indirect enum SCIMFilter: Equatable, Sendable {
    case compare(SCIMAttributePath, Operator, JSON)
    case present(SCIMAttributePath)
    case and([SCIMFilter])
    case or([SCIMFilter])
    case not(SCIMFilter)
    case valuePath(SCIMAttributePath, SCIMFilter)

    public enum Operator: String, Sendable, CaseIterable { case eq, ne, co, sw, ew, gt, ge, lt, le }

    public static func parse(_ text: String) throws -> SCIMFilter {
        try SCIMFilterParser.parse(text)
    }

    /// The exact `attribute eq "value"` this filter is, if it is one (answered from an index).
    public var equality: (attribute: String, value: String)? {
        guard case .compare(let path, .eq, .string(let value)) = self, path.subAttribute == nil else { return nil }
        return (path.attribute, value)
    }

    /// Whether `resource` (its attributes, extension attributes under their URN) matches.
    public func matches(_ resource: JSON) -> Bool {
        switch self {
        case .and(let terms): terms.allSatisfy { $0.matches(resource) }
        case .or(let terms): terms.contains { $0.matches(resource) }
        case .not(let inner): !inner.matches(resource)
        case .present(let path): !path.values(in: resource).isEmpty
        case .compare(let path, let op, let expected): path.values(in: resource).contains { Self.compare($0, op, expected) }
        case .valuePath(let path, let inner): path.elements(in: resource).contains { inner.matches($0) }
        }
    }

    static func compare(_ actual: JSON, _ op: Operator, _ expected: JSON) -> Bool {
        switch (actual, expected) {
        case (.string(let a), .string(let e)):
            let a = a.lowercased(), e = e.lowercased()
            switch op {
            case .eq: return a == e
            case .ne: return a != e
            case .co: return a.contains(e)
            case .sw: return a.hasPrefix(e)
            case .ew: return a.hasSuffix(e)
            case .gt: return a > e
            case .ge: return a >= e
            case .lt: return a < e
            case .le: return a <= e
            }
        case (.bool(let a), .bool(let e)): return op == .eq ? a == e : op == .ne ? a != e : false
        case (.int(let a), .int(let e)):
            switch op {
            case .eq: return a == e
            case .ne: return a != e
            case .gt: return a > e
            case .ge: return a >= e
            case .lt: return a < e
            case .le: return a <= e
            default: return false
            }
        case (_, .null): return op == .ne
        default: return op == .ne
        }
    }
}
