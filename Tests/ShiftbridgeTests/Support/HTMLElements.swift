import Foundation

/// The elements and attributes a browser would build from a page, for tests that must prove
/// an input introduced none: start tags and their attributes, read as HTML's tokenizer reads
/// them (quoted and unquoted values; script, style, textarea and title hold text only).
struct HTMLElements {
    struct Element: Equatable {
        let name: String
        let attributes: [(name: String, value: String)]
        static func == (a: Element, b: Element) -> Bool { a.name == b.name && a.attributes.elementsEqual(b.attributes) { $0 == $1 } }
        func attribute(_ name: String) -> String? { attributes.first { $0.name == name }?.value }
    }

    let elements: [Element]

    init(_ html: String) {
        var elements: [Element] = []
        let s = Array(html.unicodeScalars)
        var i = 0
        func isNameStart(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic && c.isASCII }
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\n" || c == "\t" || c == "\r" || c == "\u{0C}" }
        while i < s.count {
            guard s[i] == "<", i + 1 < s.count else { i += 1; continue }
            let next = s[i + 1]
            if next == "!" {
                // A comment or the doctype.
                if i + 3 < s.count, s[i + 2] == "-", s[i + 3] == "-" {
                    var j = i + 4
                    while j + 2 < s.count, !(s[j] == "-" && s[j + 1] == "-" && s[j + 2] == ">") { j += 1 }
                    i = j + 3
                } else {
                    while i < s.count, s[i] != ">" { i += 1 }
                    i += 1
                }
                continue
            }
            if next == "/" {
                while i < s.count, s[i] != ">" { i += 1 }
                i += 1
                continue
            }
            guard isNameStart(next) else { i += 1; continue }
            var j = i + 1
            var name = ""
            while j < s.count, !isSpace(s[j]), s[j] != "/", s[j] != ">" { name.unicodeScalars.append(s[j]); j += 1 }
            name = name.lowercased()
            var attributes: [(String, String)] = []
            while j < s.count {
                while j < s.count, isSpace(s[j]) || s[j] == "/" { j += 1 }
                guard j < s.count, s[j] != ">" else { break }
                var attribute = ""
                while j < s.count, !isSpace(s[j]), s[j] != "=", s[j] != ">", s[j] != "/" || attribute.isEmpty { attribute.unicodeScalars.append(s[j]); j += 1 }
                while j < s.count, isSpace(s[j]) { j += 1 }
                var value = ""
                if j < s.count, s[j] == "=" {
                    j += 1
                    while j < s.count, isSpace(s[j]) { j += 1 }
                    if j < s.count, s[j] == "\"" || s[j] == "'" {
                        let quote = s[j]
                        j += 1
                        while j < s.count, s[j] != quote { value.unicodeScalars.append(s[j]); j += 1 }
                        j += 1
                    } else {
                        while j < s.count, !isSpace(s[j]), s[j] != ">" { value.unicodeScalars.append(s[j]); j += 1 }
                    }
                }
                attributes.append((attribute.lowercased(), Self.decodeEntities(value)))
            }
            elements.append(Element(name: name, attributes: attributes))
            i = j + 1
            // Raw text: nothing inside these is markup, up to their end tag.
            if ["script", "style", "textarea", "title"].contains(name) {
                let end = Array("</\(name)".unicodeScalars)
                while i < s.count {
                    if s[i] == "<", i + end.count <= s.count, String(String.UnicodeScalarView(s[i..<(i + end.count)])).lowercased() == "</\(name)" { break }
                    i += 1
                }
            }
        }
        self.elements = elements
    }

    func named(_ name: String) -> [Element] { elements.filter { $0.name == name } }

    /// Every attribute name on every element.
    var attributeNames: Set<String> { Set(elements.flatMap { $0.attributes.map(\.name) }) }

    static func decodeEntities(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}
