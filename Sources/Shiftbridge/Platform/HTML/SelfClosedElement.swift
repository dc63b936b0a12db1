import Plot

/// An element without content, such as `<input>`; attributes come from the escaping modifiers.
struct SelfClosedElement: Component {
    let name: String

    var body: Component {
        Node<HTML.BodyContext>.selfClosedElement(named: name, attributes: [])
    }
}
