import Foundation

/// Before and after, field by field, as the audit log shows them. Values recorded as JSON
/// objects are compared key by key; `key: value; key: value` summaries likewise; anything
/// else is one change from the old text to the new.
struct AuditDiff: Equatable, Sendable {
    struct Change: Equatable, Sendable {
        let field: String?
        let before: String?
        let after: String?
    }

    let changes: [Change]

    init(before: String?, after: String?) {
        let old = Self.fields(before), new = Self.fields(after)
        if let old, let new {
            var keys: [String] = []
            for key in old.map(\.0) + new.map(\.0) where !keys.contains(key) { keys.append(key) }
            let oldValues = Dictionary(old, uniquingKeysWith: { a, _ in a }), newValues = Dictionary(new, uniquingKeysWith: { a, _ in a })
            changes = keys.compactMap { key in
                oldValues[key] == newValues[key] ? nil : Change(field: key, before: oldValues[key], after: newValues[key])
            }
        } else if let new, before == nil {
            changes = new.map { Change(field: $0.0, before: nil, after: $0.1) }
        } else {
            changes = before == nil && after == nil ? [] : [Change(field: nil, before: before, after: after)]
        }
    }

    /// The pairs in `text`, if it is a JSON object or a `key: value; …` summary.
    static func fields(_ text: String?) -> [(String, String)]? {
        guard let text, !text.isEmpty else { return nil }
        if text.hasPrefix("{"), let data = text.data(using: .utf8),
           let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
            return object.keys.sorted().map { ($0, display(object[$0] as Any)) }
        }
        let parts = text.components(separatedBy: "; ")
        let pairs = parts.compactMap { part -> (String, String)? in
            guard let colon = part.range(of: ": ") else { return nil }
            return (String(part[..<colon.lowerBound]), String(part[colon.upperBound...]))
        }
        return pairs.count == parts.count && pairs.count > 1 ? pairs : nil
    }

    private static func display(_ value: Any) -> String {
        switch value {
        case let text as String: text
        case is NSNull: "—"
        case let list as [Any]: list.map(display).joined(separator: ", ")
        case let number as NSNumber: number.stringValue
        default:
            (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
        }
    }
}
