import ShiftbridgeCore

/// PagerDuty as one complete read found it: every user, the teams, and the members of the
/// teams the rules manage.
struct AccountSnapshot: Sendable {
    var users: [ProvisioningPlanner.AccountUser]
    /// Team names (lower-cased) and ids → team id.
    var teams: [String: String]
    var teamNames: [String: String]
    /// Licence names (lower-cased) and ids → licence id.
    var licenses: [String: String]
    /// The account owner's email: whom creates are made on behalf of, unless settings say.
    var owner: String?
}
