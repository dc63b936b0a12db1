import Foundation

public struct SlackUsergroup: Sendable, Equatable, Decodable {
    public let id: String
    public let name: String
    public let handle: String
    public let date_delete: Int?
    public let users: [String]?

    public var isEnabled: Bool { (date_delete ?? 0) == 0 }
}
