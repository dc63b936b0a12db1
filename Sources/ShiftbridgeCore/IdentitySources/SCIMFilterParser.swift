import Foundation

/// Reads a SCIM filter into a `SCIMFilter`, within bounds: at most `maxDepth` levels of
/// grouping (`(…)`, `not (…)`, `attr[…]`) and `maxTerms` comparisons. Past either the parse
/// stops with a 400 (`invalidFilter` for depth, `tooMany` for terms) before anything deeper is
/// built, so no filter an identity provider or an attacker sends can exhaust the stack.
struct SCIMFilterParser {
    static let maxDepth = 32
    static let maxTerms = 200

    enum Token: Equatable { case word(String), string(String), open, close, openBracket, closeBracket }

    private let tokens: [Token]
    private let text: String
    private var position = 0
    private var depth = 0
    private var terms = 0

    static func parse(_ text: String) throws -> SCIMFilter {
        var parser = SCIMFilterParser(tokens: try tokens(text), text: text)
        let filter = try parser.orExpression()
        guard parser.atEnd else { throw SCIMError.invalidFilter("Unexpected \(parser.peekDescription) in filter \(parser.shown)") }
        return filter
    }

    private init(tokens: [Token], text: String) {
        self.tokens = tokens
        self.text = text
    }

    /// The filter as quoted back in errors: a long one is cut.
    private var shown: String { text.count > 200 ? String(text.prefix(200)) + "…" : text }

    private var atEnd: Bool { position >= tokens.count }

    private var peekDescription: String {
        guard position < tokens.count else { return "end" }
        switch tokens[position] {
        case .word(let word): return "'\(word.prefix(100))'"
        case .string(let value): return "\"\(value.prefix(100))\""
        case .open: return "'('"
        case .close: return "')'"
        case .openBracket: return "'['"
        case .closeBracket: return "']'"
        }
    }

    private mutating func keyword(_ word: String) -> Bool {
        guard position < tokens.count, case .word(let found) = tokens[position], found.lowercased() == word else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ token: Token, _ what: String) throws {
        guard position < tokens.count, tokens[position] == token else {
            throw SCIMError.invalidFilter("Expected \(what) but found \(peekDescription) in filter \(shown)")
        }
        position += 1
    }

    private mutating func orExpression() throws -> SCIMFilter {
        var terms = [try andExpression()]
        while keyword("or") { terms.append(try andExpression()) }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    private mutating func andExpression() throws -> SCIMFilter {
        var terms = [try unary()]
        while keyword("and") { terms.append(try unary()) }
        return terms.count == 1 ? terms[0] : .and(terms)
    }

    /// A group's contents, one level deeper.
    private mutating func nested(closing: Token, _ what: String) throws -> SCIMFilter {
        depth += 1
        guard depth <= Self.maxDepth else {
            throw SCIMError.invalidFilter("The filter nests more than \(Self.maxDepth) levels of parentheses, not or brackets: simplify it")
        }
        let inner = try orExpression()
        try expect(closing, what)
        depth -= 1
        return inner
    }

    private mutating func unary() throws -> SCIMFilter {
        if keyword("not") {
            try expect(.open, "'(' after not")
            return .not(try nested(closing: .close, "')'"))
        }
        if position < tokens.count, tokens[position] == .open {
            position += 1
            return try nested(closing: .close, "')'")
        }
        guard position < tokens.count, case .word(let word) = tokens[position] else {
            throw SCIMError.invalidFilter("Expected an attribute name but found \(peekDescription) in filter \(shown)")
        }
        let name = word.count > 100 ? String(word.prefix(100)) + "…" : word
        position += 1
        terms += 1
        guard terms <= Self.maxTerms else {
            throw SCIMError(status: 400, .tooMany, "The filter has more than \(Self.maxTerms) comparisons: split the search")
        }
        let path = try SCIMAttributePath.parse(word)
        if position < tokens.count, tokens[position] == .openBracket {
            position += 1
            return .valuePath(path, try nested(closing: .closeBracket, "']'"))
        }
        if keyword("pr") { return .present(path) }
        guard position < tokens.count, case .word(let opWord) = tokens[position], let op = SCIMFilter.Operator(rawValue: opWord.lowercased()) else {
            throw SCIMError.invalidFilter("Expected an operator (\(SCIMFilter.Operator.allCases.map(\.rawValue).joined(separator: ", ")) or pr) after \(name) but found \(peekDescription) in filter \(shown)")
        }
        position += 1
        guard position < tokens.count else { throw SCIMError.invalidFilter("Expected a value after \(name) \(opWord) in filter \(shown)") }
        let value: JSON
        switch tokens[position] {
        case .string(let string): value = .string(string)
        case .word(let word):
            switch word.lowercased() {
            case "true": value = .bool(true)
            case "false": value = .bool(false)
            case "null": value = .null
            default:
                guard let number = Int(word) else { throw SCIMError.invalidFilter("\(word.prefix(100)) is not a value: quote strings in filter \(shown)") }
                value = .int(number)
            }
        default: throw SCIMError.invalidFilter("Expected a value after \(name) \(opWord) but found \(peekDescription) in filter \(shown)")
        }
        position += 1
        return .compare(path, op, value)
    }

    // MARK: Tokens

    static func tokens(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let c = scalars[index]
            switch c {
            case " ", "\t", "\n", "\r": index += 1
            case "(": tokens.append(.open); index += 1
            case ")": tokens.append(.close); index += 1
            case "[": tokens.append(.openBracket); index += 1
            case "]": tokens.append(.closeBracket); index += 1
            case "\"":
                // A JSON string: find its end, honouring escapes, and let JSON decode it.
                var end = index + 1
                while end < scalars.count && scalars[end] != "\"" { end += scalars[end] == "\\" ? 2 : 1 }
                guard end < scalars.count else { throw SCIMError.invalidFilter("A quoted value is not closed in the filter") }
                var literal = String.UnicodeScalarView()
                literal.append(contentsOf: scalars[index...end])
                guard let value = try? JSONDecoder().decode(String.self, from: Data(String(literal).utf8)) else {
                    throw SCIMError.invalidFilter("\(String(literal).prefix(100)) is not a valid quoted value in the filter")
                }
                tokens.append(.string(value))
                index = end + 1
            default:
                var end = index
                while end < scalars.count && !" \t\n\r()[]\"".unicodeScalars.contains(scalars[end]) { end += 1 }
                var word = String.UnicodeScalarView()
                word.append(contentsOf: scalars[index..<end])
                tokens.append(.word(String(word)))
                index = end
            }
        }
        return tokens
    }
}
