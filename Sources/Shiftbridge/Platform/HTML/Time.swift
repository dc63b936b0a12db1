import Plot

/// `<time datetime>` (shadows Plot's `Time`).
struct Time: Component {
    let datetime: String
    let content: ContentProvider

    init(datetime: String, @ComponentBuilder content: @escaping ContentProvider) {
        self.datetime = datetime
        self.content = content
    }

    var body: Component {
        Element(name: "time") { content() }.attribute(named: "datetime", value: datetime)
    }
}
