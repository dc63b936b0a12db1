import Foundation

extension JSONEncoder {
    /// Keys sorted, so the same rules always read the same.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
