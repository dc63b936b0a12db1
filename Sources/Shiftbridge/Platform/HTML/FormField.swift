import Plot
import Vapor

/// A labelled input, the form row used across the dashboard.
struct FormField: Component {
    let label: String
    let name: String
    var type: HTMLInputType = .text
    var value: String? = nil
    var required = true
    var autocomplete: String? = nil
    var hint: String? = nil
    /// Keeps ids unique when two forms on one page share a field name.
    var idPrefix = ""
    /// The keyboard a phone shows (`email`, `numeric`): for text fields whose autocomplete
    /// token only text inputs may carry (`username`), or that must not autofill (`off`).
    var inputMode: String? = nil

    var body: Component {
        Label(label) {
            Input(type: type, name: name, value: value, isRequired: required)
                .attribute(named: "autocomplete", value: autocomplete)
                .attribute(named: "id", value: idPrefix + name)
                .attribute(named: "inputmode", value: inputMode)
            if let hint { Span(hint).class("hint") }
        }
        .class("field")
    }
}
