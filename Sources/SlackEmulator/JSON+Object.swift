import EmulatorSupport
import Foundation

extension JSON {
    var objectValue: [String: JSON] { if case .object(let object) = self { object } else { [:] } }
}
