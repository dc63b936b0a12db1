import Foundation

/// A topic or message template: literal text and `{field}`s. Literal text is escaped as
/// Slack requires; fields are filled with mentions or escaped names.
public struct SlackTemplate: Sendable, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case onDuty = "on_duty", previous, next, until, rotation, code
    }

    enum Piece: Sendable, Equatable {
        case text(String)
        case field(Field)
    }

    let pieces: [Piece]
    public let source: String

    /// Parses `text`; throws naming an unknown field or an unclosed brace.
    public init(_ text: String) throws(SlackTemplateError) {
        var pieces: [Piece] = []
        var literal = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { throw SlackTemplateError.unclosedBrace }
            let name = String(rest[rest.index(after: open)..<close])
            guard let field = Field(rawValue: name) else { throw SlackTemplateError.unknownField(name) }
            if !literal.isEmpty { pieces.append(.text(literal)) }
            literal = ""
            pieces.append(.field(field))
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { pieces.append(.text(literal)) }
        self.pieces = pieces
        source = text
    }

    /// Someone in a filled field: a Slack mention when linked, else their name.
    public struct Person: Sendable, Equatable {
        public let name: String
        public let slackID: String?
        public init(name: String, slackID: String?) {
            self.name = name
            self.slackID = slackID
        }
    }

    public struct Values: Sendable {
        public var onDuty: [Person]
        public var previous: [Person]
        public var next: [Person]
        public var until: String?
        public var rotation: String
        public var code: String

        public init(onDuty: [Person], previous: [Person], next: [Person], until: String?, rotation: String, code: String) {
            self.onDuty = onDuty
            self.previous = previous
            self.next = next
            self.until = until
            self.rotation = rotation
            self.code = code
        }
    }

    public func fill(_ values: Values) -> String {
        pieces.map { piece in
            switch piece {
            case .text(let text): Self.escape(text)
            case .field(.onDuty): Self.people(values.onDuty)
            case .field(.previous): Self.people(values.previous)
            case .field(.next): Self.people(values.next)
            case .field(.until): values.until.map(Self.escape) ?? "nobody"
            case .field(.rotation): Self.escape(values.rotation)
            case .field(.code): Self.escape(values.code)
            }
        }.joined()
    }

    static func people(_ people: [Person]) -> String {
        people.isEmpty ? "nobody" : people.map { $0.slackID.map { "<@\($0)>" } ?? escape($0.name) }.joined(separator: ", ")
    }

    /// `&`, `<` and `>` as Slack's text requires.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Slack's limit on a channel topic.
    public static let maxTopicLength = 250
}
