import Foundation

/// What a webhook receives for a duty change (contract).
struct WebhookPayload: Codable, Equatable, Sendable {
    struct RotationRef: Codable, Equatable, Sendable {
        let id: String
        let code: String
        let name: String
    }

    static let dutyChanged = "rotation.duty_changed"

    let event: String
    let rotation: RotationRef
    let previous: [String]
    let on_duty: [String]
    let until: Date?
    let at: Date

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
