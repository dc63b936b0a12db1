import Foundation

/// RFC 4180 CSV: quoted fields with doubled quotes, CR/LF or LF line ends, an optional
/// byte-order mark, any single-character delimiter.
public enum CSV {
    public struct Row: Equatable, Sendable {
        /// 1-based line of the file where the row starts.
        public var line: Int
        public var fields: [String]
    }

    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public static func parse(_ text: String, delimiter: Character = ",") throws(Failure) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var quotedField = false
        var line = 1
        var rowStart = 1
        var characters = text.makeIterator()
        var pending: Character? = nil
        if text.first == "\u{FEFF}" { _ = characters.next() }
        func next() -> Character? {
            if let value = pending { pending = nil; return value }
            return characters.next()
        }
        func endRow() {
            fields.append(field)
            // A blank line is no row.
            if !(fields.count == 1 && fields[0].isEmpty && !quotedField) { rows.append(Row(line: rowStart, fields: fields)) }
            fields = []
            field = ""
            quotedField = false
        }
        while let character = next() {
            if inQuotes {
                if character == "\"" {
                    let following = next()
                    if following == "\"" {
                        field.append("\"")
                    } else {
                        inQuotes = false
                        pending = following
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty && !quotedField:
                inQuotes = true
                quotedField = true
            case "\"":
                throw Failure(line: line, message: "a quote inside an unquoted field; quote the whole field and double the quote (\"\")")
            case delimiter:
                fields.append(field)
                field = ""
                quotedField = false
            case "\n", "\r\n", "\r":
                endRow()
                line += 1
                rowStart = line
            default:
                if quotedField { throw Failure(line: line, message: "text after a closing quote; put the delimiter right after it") }
                field.append(character)
            }
        }
        if inQuotes { throw Failure(line: rowStart, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || quotedField { endRow() }
        return rows
    }
}
