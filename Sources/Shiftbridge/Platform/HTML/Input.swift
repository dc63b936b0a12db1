import Plot

/// `<input>`, every attribute escaped (shadows Plot's `Input`).
struct Input: Component {
    var type: HTMLInputType
    var name: String?
    var value: String?
    var isRequired = false
    var placeholder: String?

    init(type: HTMLInputType, name: String? = nil, value: String? = nil, isRequired: Bool = false, placeholder: String? = nil) {
        self.type = type
        self.name = name
        self.value = value
        self.isRequired = isRequired
        self.placeholder = placeholder
    }

    var body: Component {
        SelfClosedElement(name: "input")
            .attribute(named: "type", value: type.rawValue)
            .attribute(named: "name", value: name)
            .attribute(named: "value", value: value)
            .attribute(named: "placeholder", value: placeholder)
            .attribute(named: "required", value: isRequired ? "required" : nil)
    }
}
