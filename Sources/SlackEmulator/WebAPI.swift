import EmulatorSupport
import Foundation

/// The Web API methods the emulator serves, by name.
enum WebAPI {
    static let methods: [String: WebMethod] = Dictionary(
        uniqueKeysWithValues: (users + usergroups + conversations + chat + oauth).map { ($0.name, $0) })

    static func ok(_ fields: [String: JSON] = [:]) -> JSON {
        var object = fields
        object["ok"] = true
        return .object(object)
    }

    /// Reads an opaque cursor (`dXNlcjoxMDA=` = "offset:100"); nil for the first page.
    static func offset(from cursor: String?) throws(SlackError) -> Int {
        guard let cursor else { return 0 }
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8), text.hasPrefix("offset:"),
              let offset = Int(text.dropFirst("offset:".count)), offset >= 0
        else { throw SlackError("invalid_cursor") }
        return offset
    }

    static func cursor(for offset: Int) -> String { Data("offset:\(offset)".utf8).base64EncodedString() }
}
