import Fluent
import Foundation

final class RotationMember: Model, @unchecked Sendable {
    static let schema = "rotation_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "rotation_id") var rotation: Rotation
    @Parent(key: "person_id") var person: Person
    @Field(key: "position") var position: Int

    init() {}

    init(rotationID: UUID, personID: UUID, position: Int) {
        self.$rotation.id = rotationID
        self.$person.id = personID
        self.position = position
    }
}
