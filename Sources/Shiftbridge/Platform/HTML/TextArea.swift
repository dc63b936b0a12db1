import Plot

/// `<textarea>`: its text is content (escaped by Plot), its name an escaped attribute
/// (shadows Plot's `TextArea`).
struct TextArea: Component {
    let text: String
    let name: String
    let numberOfRows: Int

    init(text: String, name: String, numberOfRows: Int) {
        self.text = text
        self.name = name
        self.numberOfRows = numberOfRows
    }

    var body: Component {
        Element(name: "textarea") { Text(text) }
            .attribute(named: "name", value: name)
            .attribute(named: "rows", value: String(numberOfRows))
    }
}
