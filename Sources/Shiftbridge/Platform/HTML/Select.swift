import Plot

/// `<select>` with its options (Plot's own takes no option text).
struct Select: Component {
    let name: String
    let options: [(value: String, label: String)]
    let selected: String?
    var id: String? = nil

    var body: Component {
        Element(name: "select") {
            for option in options {
                Element(name: "option") { Text(option.label) }
                    .attribute(named: "value", value: option.value)
                    .attribute(named: "selected", value: option.value == selected ? "selected" : nil)
            }
        }
        .attribute(named: "name", value: name)
        .attribute(named: "id", value: id)
    }
}
