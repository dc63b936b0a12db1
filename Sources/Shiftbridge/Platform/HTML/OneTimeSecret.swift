import Plot

/// A secret shown once, right after it was made (a token, a webhook secret, an invitation
/// link), with a button that copies it.
struct OneTimeSecret: Component {
    let intro: String
    let value: String
    let id: String

    var body: Component {
        Div {
            Paragraph(intro)
            Div {
                Element(name: "code") { Text(value) }.id(id)
                Button("Copy").class("button small").attribute(named: "type", value: "button").attribute(named: "data-copy", value: value)
            }
            .class("copy-row")
        }
        .class("flash flash-info")
    }
}
