import Fluent
import Foundation

final class RotationOwner: Model, @unchecked Sendable {
    static let schema = "rotation_owners"

    @ID(key: .id) var id: UUID?
    @Parent(key: "rotation_id") var rotation: Rotation
    @Parent(key: "user_id") var user: User

    init() {}

    init(rotationID: UUID, userID: UUID) {
        self.$rotation.id = rotationID
        self.$user.id = userID
    }
}
