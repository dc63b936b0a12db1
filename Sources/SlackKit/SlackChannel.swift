import Foundation

public struct SlackChannel: Sendable, Equatable, Decodable {
    public struct Topic: Sendable, Equatable, Decodable {
        public let value: String
        public let creator: String?
    }
    public let id: String
    public let name: String?
    public let is_private: Bool?
    public let is_archived: Bool?
    public let is_member: Bool?
    public let topic: Topic?
}
