import EmulatorSupport
import Foundation

/// Calls received, by method and by outcome: how tests and benchmarks count Slack calls.
struct CallStats: Sendable {
    var total = 0
    var byMethod: [String: Int] = [:]
    var byError: [String: Int] = [:]

    mutating func record(method: String, error: String?) {
        total += 1
        byMethod[method, default: 0] += 1
        if let error { byError[error, default: 0] += 1 }
    }

    var json: JSON {
        ["total": .int(total), "by_method": .object(byMethod.mapValues(JSON.int)), "by_error": .object(byError.mapValues(JSON.int))]
    }
}
