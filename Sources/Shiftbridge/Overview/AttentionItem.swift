import Foundation

/// Something wrong, in words, and the page where it is fixed.
struct AttentionItem: Sendable, Equatable {
    let message: String
    let link: String
    let action: String
}
