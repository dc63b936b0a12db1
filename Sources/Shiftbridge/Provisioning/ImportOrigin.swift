import Foundation

/// Where an HR import came from: an upload (by an account, or the command line), an HR source,
/// or an identity provider's SCIM pushes. The kind is stored beside the import, so "every
/// import from SCIM" is a column, not a prefix of the actor's name.
enum ImportOrigin: Sendable, Equatable {
    case upload(by: String)
    case hrSource(name: String)
    case scim(token: String)

    enum Kind: String, Codable, Sendable { case upload, hrSource = "hr_source", scim }

    var kind: Kind {
        switch self {
        case .upload: .upload
        case .hrSource: .hrSource
        case .scim: .scim
        }
    }

    /// How the audit log and the import list name who did it.
    var actor: String {
        switch self {
        case .upload(let by): by
        case .hrSource(let name): "source:\(name)"
        case .scim(let token): "scim:\(token)"
        }
    }
}
