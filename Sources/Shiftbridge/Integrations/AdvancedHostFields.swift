import Foundation
import Plot

struct AdvancedHostFields: Component {
    let fields: [(label: String, name: String, placeholder: String)]
    var body: Component {
        Element(name: "details") {
            Element(name: "summary") { Text("Advanced: another API host") }
            for field in fields {
                Label(field.label) {
                    Input(type: .url, name: field.name, placeholder: field.placeholder)
                }
                .class("field")
            }
        }
        .class("advanced")
    }
}
