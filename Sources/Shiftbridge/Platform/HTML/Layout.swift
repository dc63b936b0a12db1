import Plot

/// The page frame: top bar with navigation, flash, and the page's content.
enum Layout {
    static func render(_ context: PageContext, @ComponentBuilder content: () -> Component) -> String {
        let body = content()
        return Document.render(title: "\(context.title) · Shiftbridge") {
            TopBar(context: context)
            Element(name: "main") {
                if let flash = context.flash {
                    Div(flash.message).class("flash flash-\(flash.kind.rawValue)").attribute(named: "role", value: "status")
                }
                body
            }
            .class("container")
        }
    }
}
