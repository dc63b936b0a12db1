import EmulatorSupport
import Foundation

/// `a=1&b=two+words`, as forms and query strings carry Slack's arguments.
enum FormArguments {
    static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            guard let key = parts.first, !key.isEmpty else { continue }
            values[key] = parts.count > 1 ? parts[1] : ""
        }
        return values
    }

    /// A JSON argument as Slack reads it: lists joined by commas, objects kept as JSON text.
    static func text(_ value: JSON) -> String {
        switch value {
        case .string(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .null: ""
        case .array(let items) where items.allSatisfy({ $0.string != nil }): items.compactMap(\.string).joined(separator: ",")
        default: String(decoding: value.encoded(), as: UTF8.self)
        }
    }
}
