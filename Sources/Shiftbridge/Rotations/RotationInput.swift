import Vapor

/// A rotation as a form or the API sends it; every key may be left out of a change.
struct RotationInput: Content {
    var code: String?
    var name: String?
    var description: String?
    var is_public: Bool?
    var duty_size: Int?
    var enabled: Bool?
    /// Member emails, in rotation order; each must be in the People directory.
    var members: [String]?
    /// Owner emails (accounts); the creator is always an owner.
    var owners: [String]?
}
