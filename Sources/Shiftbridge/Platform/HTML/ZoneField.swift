import Foundation
import Plot

/// A time-zone field: typed with suggestions from every IANA zone (a `<datalist>`), so it
/// is searchable without JavaScript.
struct ZoneField: Component {
    let label: String
    let name: String
    let value: String?
    let zones: [String]
    var hint: String? = nil
    var required = false

    var body: Component {
        Label(label) {
            Input(type: .text, name: name, value: value, isRequired: required)
                .attribute(named: "id", value: name)
                .attribute(named: "list", value: "\(name)-zones")
                .attribute(named: "autocomplete", value: "off")
                .attribute(named: "spellcheck", value: "false")
            Element(name: "datalist") {
                for zone in zones { Element(name: "option") {}.attribute(named: "value", value: zone) }
            }
            .attribute(named: "id", value: "\(name)-zones")
            if let hint { Span(hint).class("hint") }
        }
        .class("field")
    }

    static let allZones: [String] = TimeZone.knownTimeZoneIdentifiers.sorted()
}
