import Plot

/// `<form>`, with its action escaped (shadows Plot's `Form`).
struct Form: Component {
    let url: String
    let method: HTMLFormMethod
    let contentType: HTMLFormContentType?
    let content: ContentProvider

    init(url: String, method: HTMLFormMethod, contentType: HTMLFormContentType? = nil, @ComponentBuilder content: @escaping ContentProvider) {
        self.url = url
        self.method = method
        self.contentType = contentType
        self.content = content
    }

    var body: Component {
        Element(name: "form") { content() }
            .attribute(named: "action", value: url)
            .attribute(named: "method", value: method.rawValue)
            .attribute(named: "enctype", value: contentType?.rawValue)
    }
}
