import Plot

/// `<a href>`, with the URL escaped (shadows Plot's `Link`).
struct Link: Component {
    let url: String
    let label: ContentProvider

    init(url: String, @ComponentBuilder label: @escaping ContentProvider) {
        self.url = url
        self.label = label
    }

    init(_ label: String, url: String) {
        self.init(url: url) { Text(label) }
    }

    var body: Component {
        Element(name: "a") { label() }.attribute(named: "href", value: url)
    }
}
