import EmulatorSupport
import Foundation
import NIOConcurrencyHelpers

/// The company an emulated BambooHR serves: its subdomain, API keys, employees, and what a
/// test asks it to do wrong (throttle with 429/503 and Retry-After, fail, answer garbage).
public final class BambooCompany: Sendable {
    struct State {
        var subdomain = "acme"
        var apiKeys: Set<String> = []
        var employees: [BambooEmployee] = []
        var nextID = 1
        var faults: Fault?
        var requests = 0
    }

    struct Fault {
        var status: Int
        var remaining: Int
        var retryAfter: Int
        var garbage: Bool
    }

    let state = NIOLockedValueBox(State())

    public enum Seed: String, Sendable { case demo, empty }

    public init(seed: Seed) {
        guard seed == .demo else { return }
        for index in 0..<12 {
            let person = DemoPeople.person(index)
            let names = person.name.split(separator: " ").map(String.init)
            upsert(["workEmail": person.email, "firstName": names[0], "lastName": names[1], "status": "Active", "hireDate": "2024-01-15",
                    "department": index % 2 == 0 ? "Platform" : "Payments", "jobTitle": "Engineer", "location": "Remote"])
        }
    }

    /// Adds an employee, or changes the one with the same work email. Returns its id.
    @discardableResult
    public func upsert(_ fields: [String: String]) -> Int {
        state.withLockedValue { state in
            if let index = state.employees.firstIndex(where: { $0.fields["workEmail"]?.lowercased() == fields["workEmail"]?.lowercased() }) {
                state.employees[index].fields.merge(fields) { _, new in new }
                state.employees[index].changedAt = Date()
                return state.employees[index].id
            }
            let id = state.nextID
            state.nextID += 1
            state.employees.append(BambooEmployee(id: id, fields: fields, changedAt: Date()))
            return id
        }
    }

    public func createAPIKey() -> String {
        let key = (0..<40).map { _ in "0123456789abcdef".randomElement()! }.map(String.init).joined()
        state.withLockedValue { _ = $0.apiKeys.insert(key) }
        return key
    }

    public var subdomain: String { state.withLockedValue { $0.subdomain } }
}
