import Foundation
import Plot

struct FactRow: Component {
    let term: String
    let value: String
    var id: String?
    var body: Component {
        ComponentGroup {
            Element(name: "dt") { Text(term) }
            Element(name: "dd") { Text(value) }.attribute(named: "id", value: id)
        }
    }
}
