import Foundation
import Vapor

extension Request {
    /// A form-encoded body as flat fields (`a=1&b=two+words`), the first value of each name:
    /// for forms whose names are not known in advance (the rule builder) and bodies that must
    /// be read as sent (a signed slash command).
    var formFields: [String: String] {
        var components = URLComponents()
        components.percentEncodedQuery = (body.string ?? "").replacingOccurrences(of: "+", with: "%20")
        var fields: [String: String] = [:]
        for item in components.queryItems ?? [] where fields[item.name] == nil { fields[item.name] = item.value ?? "" }
        return fields
    }
}
