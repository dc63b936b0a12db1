import Foundation
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

extension AppError {
    static func from(catching body: () throws -> Void) -> AppError? {
        do { try body(); return nil } catch { return answering(error) }
    }
}
