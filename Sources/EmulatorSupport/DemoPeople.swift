import Foundation

/// The demo company's people, shared by every emulator's demo seed so one person has the
/// same name and email in PagerDuty, Slack and HR.
public enum DemoPeople {
    public static let domain = "shiftbridge-demo.example"
    static let firstNames = ["Alex", "Blake", "Casey", "Dana", "Eli", "Farah", "Gus", "Hana", "Ivan", "Jun", "Kira", "Liam", "Maya", "Nico", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq"]
    static let lastNames = ["Nguyen", "Okafor", "Silva", "Kowalski", "Haddad", "Moreau"]

    /// The `index`th person: (name, email).
    public static func person(_ index: Int) -> (name: String, email: String) {
        let first = firstNames[index % firstNames.count]
        let last = lastNames[index / firstNames.count % lastNames.count]
        return ("\(first) \(last)", "\(first.lowercased()).\(last.lowercased())@\(domain)")
    }
}
