import Plot

/// The page shell: head and body. The title is text; nothing here takes a value from a
/// user into an attribute, and the rest of the dashboard builds on the escaping components.
enum Document {
    static func render(title: String, @ComponentBuilder body: () -> Component) -> String {
        let content = body()
        return HTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                // Not Plot's `.title`: it also writes the title into social `<meta content>` tags.
                .element(named: "title", text: title),
                .link(.rel(.stylesheet), .href("/static/app.css")),
                .script(.src("/static/app.js"), .attribute(named: "defer"))
            ),
            .body(.component(content))
        ).render()
    }
}
