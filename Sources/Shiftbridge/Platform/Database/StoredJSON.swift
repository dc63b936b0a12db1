import Foundation

/// JSON kept in a text column: encoded on write, decoded on read, and a value that does not
/// decode is an `UnreadableRecord` naming where it is, never a default.
enum StoredJSON {
    static func decode<Value: Decodable>(_ type: Value.Type, from text: String, table: String, id: UUID?, field: String) throws -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: Data(text.utf8))
        } catch {
            throw UnreadableRecord(table: table, id: id?.uuidString ?? "(new)", field: field, reason: Self.reason(error))
        }
    }

    static func encode<Value: Encodable>(_ value: Value) -> String {
        // Encoding a value of our own types cannot fail: each is plain data.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.keyNotFound(_, let context), DecodingError.typeMismatch(_, let context),
             DecodingError.valueNotFound(_, let context):
            context.debugDescription.prefix(200).description
        default: "not valid JSON"
        }
    }
}
