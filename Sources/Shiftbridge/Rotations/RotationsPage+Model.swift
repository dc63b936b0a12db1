import Foundation
import ShiftbridgeCore

/// The rotations list, and the form to create one.
enum RotationsPage {
    struct Row {
        let code: String
        let name: String
        let schedule: String
        let onDuty: [String]
        let members: Int
        let enabled: Bool
        /// The stored row cannot be read: shown marked, nothing assumed.
        let unreadable: Bool
    }

    struct Model {
        let rows: [Row]
        let error: String?
        let input: RotationInput?
    }
}
