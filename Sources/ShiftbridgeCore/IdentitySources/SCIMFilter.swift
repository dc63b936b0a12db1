import Foundation

/// A SCIM filter (RFC 7644 §3.4.2.2): comparisons (`eq ne co sw ew gt ge lt le`), `pr`,
/// `and`, `or`, `not (…)`, grouping, and value filters on multi-valued attributes
/// (`emails[type eq "work" and value co "@example.com"]`). Names and string values compare
/// ignoring case, as every attribute here is `caseExact: false`.
public indirect enum SCIMFilter: Equatable, Sendable {
    case compare(SCIMAttributePath, Operator, JSON)
    case present(SCIMAttributePath)
    case and(SCIMFilter, SCIMFilter)
    case or(SCIMFilter, SCIMFilter)
    case not(SCIMFilter)
    case valuePath(SCIMAttributePath, SCIMFilter)

    public enum Operator: String, Sendable, CaseIterable { case eq, ne, co, sw, ew, gt, ge, lt, le }

    public static func parse(_ text: String) throws -> SCIMFilter {
        var parser = Parser(tokens: try Tokenizer.tokens(text), text: text)
        let filter = try parser.orExpression()
        guard parser.atEnd else { throw SCIMError.invalidFilter("Unexpected \(parser.peekDescription) in filter \(text)") }
        return filter
    }

    /// The exact `attribute eq "value"` this filter is, if it is one (answered from an index).
    public var equality: (attribute: String, value: String)? {
        guard case .compare(let path, .eq, .string(let value)) = self, path.subAttribute == nil else { return nil }
        return (path.attribute, value)
    }

    /// Whether `resource` (its attributes, extension attributes under their URN) matches.
    public func matches(_ resource: JSON) -> Bool {
        switch self {
        case .and(let left, let right): left.matches(resource) && right.matches(resource)
        case .or(let left, let right): left.matches(resource) || right.matches(resource)
        case .not(let inner): !inner.matches(resource)
        case .present(let path): !path.values(in: resource).isEmpty
        case .compare(let path, let op, let expected): path.values(in: resource).contains { Self.compare($0, op, expected) }
        case .valuePath(let path, let inner): path.elements(in: resource).contains { inner.matches($0) }
        }
    }

    static func compare(_ actual: JSON, _ op: Operator, _ expected: JSON) -> Bool {
        switch (actual, expected) {
        case (.string(let a), .string(let e)):
            let a = a.lowercased(), e = e.lowercased()
            switch op {
            case .eq: return a == e
            case .ne: return a != e
            case .co: return a.contains(e)
            case .sw: return a.hasPrefix(e)
            case .ew: return a.hasSuffix(e)
            case .gt: return a > e
            case .ge: return a >= e
            case .lt: return a < e
            case .le: return a <= e
            }
        case (.bool(let a), .bool(let e)): return op == .eq ? a == e : op == .ne ? a != e : false
        case (.int(let a), .int(let e)):
            switch op {
            case .eq: return a == e
            case .ne: return a != e
            case .gt: return a > e
            case .ge: return a >= e
            case .lt: return a < e
            case .le: return a <= e
            default: return false
            }
        case (_, .null): return op == .ne
        default: return op == .ne
        }
    }

    // MARK: Parsing

    enum Token: Equatable { case word(String), string(String), open, close, openBracket, closeBracket }

    enum Tokenizer {
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
                    guard end < scalars.count else { throw SCIMError.invalidFilter("A quoted value is not closed in filter \(text)") }
                    var literal = String.UnicodeScalarView()
                    literal.append(contentsOf: scalars[index...end])
                    guard let value = try? JSONDecoder().decode(String.self, from: Data(String(literal).utf8)) else {
                        throw SCIMError.invalidFilter("\(String(literal)) is not a valid quoted value in filter \(text)")
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

    struct Parser {
        var tokens: [Token]
        let text: String
        var position = 0

        var atEnd: Bool { position >= tokens.count }
        var peekDescription: String {
            guard position < tokens.count else { return "end" }
            switch tokens[position] {
            case .word(let word): return "'\(word)'"
            case .string(let value): return "\"\(value)\""
            case .open: return "'('"
            case .close: return "')'"
            case .openBracket: return "'['"
            case .closeBracket: return "']'"
            }
        }

        mutating func keyword(_ word: String) -> Bool {
            guard position < tokens.count, case .word(let found) = tokens[position], found.lowercased() == word else { return false }
            position += 1
            return true
        }

        mutating func expect(_ token: Token, _ what: String) throws {
            guard position < tokens.count, tokens[position] == token else {
                throw SCIMError.invalidFilter("Expected \(what) but found \(peekDescription) in filter \(text)")
            }
            position += 1
        }

        mutating func orExpression() throws -> SCIMFilter {
            var left = try andExpression()
            while keyword("or") { left = .or(left, try andExpression()) }
            return left
        }

        mutating func andExpression() throws -> SCIMFilter {
            var left = try unary()
            while keyword("and") { left = .and(left, try unary()) }
            return left
        }

        mutating func unary() throws -> SCIMFilter {
            if keyword("not") {
                try expect(.open, "'(' after not")
                let inner = try orExpression()
                try expect(.close, "')'")
                return .not(inner)
            }
            if position < tokens.count, tokens[position] == .open {
                position += 1
                let inner = try orExpression()
                try expect(.close, "')'")
                return inner
            }
            guard position < tokens.count, case .word(let name) = tokens[position] else {
                throw SCIMError.invalidFilter("Expected an attribute name but found \(peekDescription) in filter \(text)")
            }
            position += 1
            let path = try SCIMAttributePath.parse(name)
            if position < tokens.count, tokens[position] == .openBracket {
                position += 1
                let inner = try orExpression()
                try expect(.closeBracket, "']'")
                return .valuePath(path, inner)
            }
            if keyword("pr") { return .present(path) }
            guard position < tokens.count, case .word(let opWord) = tokens[position], let op = Operator(rawValue: opWord.lowercased()) else {
                throw SCIMError.invalidFilter("Expected an operator (\(Operator.allCases.map(\.rawValue).joined(separator: ", ")) or pr) after \(name) but found \(peekDescription) in filter \(text)")
            }
            position += 1
            guard position < tokens.count else { throw SCIMError.invalidFilter("Expected a value after \(name) \(opWord) in filter \(text)") }
            let value: JSON
            switch tokens[position] {
            case .string(let string): value = .string(string)
            case .word(let word):
                switch word.lowercased() {
                case "true": value = .bool(true)
                case "false": value = .bool(false)
                case "null": value = .null
                default:
                    guard let number = Int(word) else { throw SCIMError.invalidFilter("\(word) is not a value: quote strings in filter \(text)") }
                    value = .int(number)
                }
            default: throw SCIMError.invalidFilter("Expected a value after \(name) \(opWord) but found \(peekDescription) in filter \(text)")
            }
            position += 1
            return .compare(path, op, value)
        }
    }
}
