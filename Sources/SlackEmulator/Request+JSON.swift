import EmulatorSupport
import Foundation
import Vapor

extension Request {
    var json: JSON? { body.data.flatMap { JSON.parse(Data($0.readableBytesView)) } }
}
