import Foundation
import ShiftbridgeCore

/// The overview: who is on duty in every rotation the viewer may see, handoffs in the next
/// 24 hours, what needs attention, the coming week, and recent activity in words.
enum HomePage {
    struct Person: Sendable {
        let name: String
        var initials: String {
            let letters = name.split(separator: " ").prefix(2).compactMap(\.first)
            return letters.isEmpty ? "?" : String(letters).uppercased()
        }
    }

    struct RotationCard: Sendable {
        let code: String
        let name: String
        let onDuty: [Person]
        let until: Date?
        let next: [String]
        let staleSince: Date?
        let turnedBy: RotationTurner
    }

    struct Handoff: Sendable {
        let at: Date
        let code: String
        let name: String
        let from: [String]
        let to: [String]
    }

    struct Week: Sendable {
        let code: String
        let name: String
        let shifts: [Shift]
        let names: [String: String]
    }

    struct Model {
        let rotations: [RotationCard]
        let handoffs: [Handoff]
        let attention: [AttentionItem]
        let week: [Week]
        let now: Date
        let recentActivity: [(at: Date, text: String)]
    }
}
