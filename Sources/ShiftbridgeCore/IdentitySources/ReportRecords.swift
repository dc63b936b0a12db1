import Foundation

/// An HR report served as JSON (Workday's Report-as-a-Service answers
/// `{"Report_Entry": [{…}, …]}`) made into the CSV the importer reads: the rows found at
/// `records` (a dotted path; empty for a top-level list), each field renamed by `columns`
/// (employee field → the report's own field name). The whole body or an error, never a part.
public enum ReportRecords {
    public static func csv(from data: Data, records path: String, columns: [String: String]) throws -> String {
        guard let json = JSON.parse(data) else { throw ReportError("The report is not JSON") }
        var node = json
        for key in path.split(separator: ".").map(String.init) where !key.isEmpty {
            guard let next = node[key] else { throw ReportError("The report has no \"\(key)\" (records path \(path))") }
            node = next
        }
        guard let rows = node.array else { throw ReportError("\(path.isEmpty ? "The report" : path) is not a list of records") }
        // The report's field → the importer's header.
        let rename = Dictionary(columns.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        var headers: [String] = []
        var table: [[String: String]] = []
        for (index, row) in rows.enumerated() {
            guard case .object(let fields) = row else { throw ReportError("Record \(index + 1) is not an object") }
            var values: [String: String] = [:]
            for (key, value) in fields {
                let header = rename[key] ?? key
                let text: String
                switch value {
                case .string(let string): text = string
                case .int(let number): text = String(number)
                case .double(let number): text = String(number)
                case .bool(let flag): text = flag ? "true" : "false"
                case .null: text = ""
                case .array, .object: throw ReportError("Record \(index + 1): \(key) is not a single value")
                }
                if !headers.contains(header) { headers.append(header) }
                values[header] = text
            }
            table.append(values)
        }
        func quoted(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        return ([headers.map(quoted).joined(separator: ",")] + table.map { row in headers.map { quoted(row[$0] ?? "") }.joined(separator: ",") })
            .joined(separator: "\n")
    }

    public struct ReportError: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }
}
