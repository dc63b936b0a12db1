import Plot

/// Plot escapes text nodes but writes attribute values as they are. Every attribute the
/// dashboard writes goes through `attribute(_:)`: the modifiers below and the components
/// in this folder shadow Plot's own of the same name, so a view cannot forget.
enum HTMLEscaping {
    /// A value safe inside a double- or single-quoted attribute.
    static func attribute(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Text for an element's content, for the few places that write markup themselves.
    static func text(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}

// These shadow Plot's modifiers of the same signature (declarations in this module win
// over the imported ones), so `.id(…)`, `.class(…)` and `.attribute(named:value:)` escape.
extension Component {
    func attribute(named name: String, value: String?, replaceExisting: Bool = true, ignoreValueIfEmpty: Bool = true) -> Component {
        attribute(Attribute<Any>(name: name, value: value.map(HTMLEscaping.attribute), replaceExisting: replaceExisting,
                                 ignoreIfValueIsEmpty: ignoreValueIfEmpty))
    }

    func id(_ id: String) -> Component {
        attribute(named: "id", value: id)
    }

    func `class`(_ className: String, replaceExisting: Bool = false) -> Component {
        attribute(named: "class", value: className, replaceExisting: replaceExisting)
    }

    func data(named name: String, value: String) -> Component {
        attribute(named: "data-" + name, value: value)
    }

    func accessibilityLabel(_ label: String) -> Component {
        attribute(named: "aria-label", value: label)
    }
}
