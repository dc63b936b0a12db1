import Foundation
import Plot

struct AdvancedHostFields: Component {
    let fields: [(label: String, name: String, placeholder: String)]
    /// Keeps ids unique when two forms on one page share a field name.
    var idPrefix = ""
    var body: Component {
        Element(name: "details") {
            Element(name: "summary") { Text("Advanced: another API host") }
            for field in fields {
                Label(field.label) {
                    Input(type: .url, name: field.name, placeholder: field.placeholder).attribute(named: "id", value: idPrefix + field.name)
                }
                .class("field")
            }
        }
        .class("advanced")
    }
}
