import Foundation

/// A template that cannot be used, with what to fix.
public enum SlackTemplateError: Error, Sendable, Equatable {
    case unknownField(String)
    case unclosedBrace

    public var message: String {
        switch self {
        case .unknownField(let name):
            "names an unknown field {\(name)}; use \(SlackTemplate.Field.allCases.map { "{\($0.rawValue)}" }.joined(separator: ", "))"
        case .unclosedBrace: "has a { without a closing }"
        }
    }
}
