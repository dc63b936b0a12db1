import Foundation

/// The operations Shiftbridge uses, typed.
extension PagerDutyClient {
    // MARK: Users

    public func users(query text: String? = nil, teamIDs: [String] = [], include: [String] = [], pageSize: Int = 100) -> ClassicPages<PDUser> {
        var query: [(String, String)] = []
        if let text, !text.isEmpty { query.append(("query", text)) }
        query += teamIDs.map { ("team_ids[]", $0) } + include.map { ("include[]", $0) }
        return ClassicPages(client: self, path: "/users", key: "users", query: query, pageSize: pageSize)
    }

    public func user(id: String, include: [String] = []) async throws -> PDUser {
        try await send("GET", "/users/\(id)", query: include.map { ("include[]", $0) }, decode: Self.unwrap("user", PDUser.self))
    }

    /// The user an OAuth user token acts as (account keys get `invalidInput`).
    public func me() async throws -> PDUser {
        try await send("GET", "/users/me", decode: Self.unwrap("user", PDUser.self))
    }

    public func createUser(_ input: PDUserInput, from: String? = nil) async throws -> PDUser {
        let body = try JSONEncoder().encode(["user": input])
        let sender = from ?? configuration.fromEmail
        return try await send("POST", "/users", body: body, headers: sender.map { [("From", $0)] } ?? [],
                              decode: Self.unwrap("user", PDUser.self))
    }

    /// Creates a user, or adopts the existing one when PagerDuty says the email is taken: the
    /// safe retry after a create whose answer was lost. `adopted` tells which happened.
    public func createOrAdoptUser(_ input: PDUserInput, from: String? = nil) async throws -> (user: PDUser, adopted: Bool) {
        do {
            return (try await createUser(input, from: from), false)
        } catch let PagerDutyError.invalidInput(_, _, errors) where errors.contains(where: { $0.localizedCaseInsensitiveContains("already been taken") }) {
            guard let email = input.email, let existing = try await user(email: email) else {
                throw PagerDutyError.invalidInput(message: "Email has already been taken", code: 2001, errors: errors)
            }
            return (existing, true)
        } catch let error as PagerDutyError where error.isRetryable {
            // No usable answer: the user may exist although its answer was lost. Look before failing.
            guard let email = input.email, let existing = try? await user(email: email) else { throw error }
            return (existing, true)
        }
    }

    public func updateUser(id: String, _ input: PDUserInput) async throws -> PDUser {
        try await send("PUT", "/users/\(id)", body: try JSONEncoder().encode(["user": input]), decode: Self.unwrap("user", PDUser.self))
    }

    public func deleteUser(id: String) async throws {
        try await send("DELETE", "/users/\(id)", decode: Self.ignoreBody)
    }

    /// Finds a user by exact email (case-insensitive), e.g. after "Email has already been taken".
    public func user(email: String) async throws -> PDUser? {
        try await users(query: email).collect().first { $0.email?.lowercased() == email.lowercased() }
    }

    public func license(ofUser id: String) async throws -> PDLicense {
        try await send("GET", "/users/\(id)/license", decode: Self.unwrap("license", PDLicense.self))
    }

    /// Whether the credential may write, found without changing anything: an empty user
    /// create is refused as invalid input by a key that may write, and as forbidden otherwise.
    public func canWrite() async throws -> Bool {
        do {
            _ = try await send("POST", "/users", body: Data(#"{"user":{"type":"user"}}"#.utf8), decode: Self.ignoreBody)
            return true
        } catch PagerDutyError.forbidden {
            return false
        } catch PagerDutyError.invalidInput {
            return true
        }
    }

    // MARK: Teams

    public func teams(query text: String? = nil) -> ClassicPages<PDTeam> {
        ClassicPages(client: self, path: "/teams", key: "teams", query: text.map { [("query", $0)] } ?? [], pageSize: 100)
    }

    public func teamMembers(teamID: String) -> ClassicPages<PDTeamMember> {
        ClassicPages(client: self, path: "/teams/\(teamID)/members", key: "members", query: [], pageSize: 100)
    }

    public func setTeamMembership(teamID: String, userID: String, role: String) async throws {
        try await send("PUT", "/teams/\(teamID)/users/\(userID)", body: try JSONEncoder().encode(["role": role]), decode: Self.ignoreBody)
    }

    public func removeTeamMembership(teamID: String, userID: String) async throws {
        try await send("DELETE", "/teams/\(teamID)/users/\(userID)", decode: Self.ignoreBody)
    }

    // MARK: Schedules and on-calls

    public func schedules(query text: String? = nil, pageSize: Int = 100) -> ClassicPages<PDSchedule> {
        ClassicPages(client: self, path: "/schedules", key: "schedules", query: text.map { [("query", $0)] } ?? [], pageSize: pageSize)
    }

    /// A schedule with its layers, and its final schedule rendered for `[since, until)`.
    public func schedule(id: String, since: Date? = nil, until: Date? = nil, timeZone: String? = nil, overflow: Bool = false) async throws -> PDSchedule {
        var query: [(String, String)] = []
        if let since { query.append(("since", PagerDutyDate.format(since))) }
        if let until { query.append(("until", PagerDutyDate.format(until))) }
        if let timeZone { query.append(("time_zone", timeZone)) }
        if overflow { query.append(("overflow", "true")) }
        return try await send("GET", "/schedules/\(id)", query: query, decode: Self.unwrap("schedule", PDSchedule.self))
    }

    public func scheduleUsers(id: String, since: Date, until: Date) async throws -> [PDUser] {
        try await send("GET", "/schedules/\(id)/users", query: [("since", PagerDutyDate.format(since)), ("until", PagerDutyDate.format(until))],
                       decode: Self.unwrap("users", [PDUser].self))
    }

    public func overrides(scheduleID: String, since: Date, until: Date) async throws -> [PDOverride] {
        try await send("GET", "/schedules/\(scheduleID)/overrides", query: [("since", PagerDutyDate.format(since)), ("until", PagerDutyDate.format(until))],
                       decode: Self.unwrap("overrides", [PDOverride].self))
    }

    public func onCalls(scheduleIDs: [String] = [], userIDs: [String] = [], escalationPolicyIDs: [String] = [],
                        since: Date? = nil, until: Date? = nil, earliest: Bool = false) -> ClassicPages<PDOnCall> {
        var query: [(String, String)] = scheduleIDs.map { ("schedule_ids[]", $0) } + userIDs.map { ("user_ids[]", $0) }
            + escalationPolicyIDs.map { ("escalation_policy_ids[]", $0) }
        if let since { query.append(("since", PagerDutyDate.format(since))) }
        if let until { query.append(("until", PagerDutyDate.format(until))) }
        if earliest { query.append(("earliest", "true")) }
        return ClassicPages(client: self, path: "/oncalls", key: "oncalls", query: query, pageSize: 100)
    }

    // MARK: Policies, incidents, account

    public func escalationPolicy(id: String) async throws -> PDEscalationPolicy {
        try await send("GET", "/escalation_policies/\(id)", decode: Self.unwrap("escalation_policy", PDEscalationPolicy.self))
    }

    public func escalationPolicies(userIDs: [String] = [], teamIDs: [String] = []) -> ClassicPages<PDEscalationPolicy> {
        ClassicPages(client: self, path: "/escalation_policies", key: "escalation_policies",
                     query: userIDs.map { ("user_ids[]", $0) } + teamIDs.map { ("team_ids[]", $0) }, pageSize: 100)
    }

    /// Open (triggered or acknowledged) incidents, optionally only those assigned to `userIDs`.
    public func openIncidents(userIDs: [String] = []) -> ClassicPages<PDIncident> {
        ClassicPages(client: self, path: "/incidents", key: "incidents",
                     query: [("statuses[]", "triggered"), ("statuses[]", "acknowledged")] + userIDs.map { ("user_ids[]", $0) }, pageSize: 100)
    }

    public func licenses() async throws -> [PDLicense] {
        try await send("GET", "/licenses", decode: Self.unwrap("licenses", [PDLicense].self))
    }

    public func abilities() async throws -> [String] {
        try await send("GET", "/abilities", decode: Self.unwrap("abilities", [String].self))
    }

    /// Audit records, newest first, for following changes without polling each object.
    public func auditRecords(since: Date? = nil, until: Date? = nil, rootResourceTypes: [String] = [], pageSize: Int = 100) -> CursorPages<PDAuditRecord> {
        var query: [(String, String)] = rootResourceTypes.map { ("root_resource_types[]", $0) }
        if let since { query.append(("since", PagerDutyDate.format(since))) }
        if let until { query.append(("until", PagerDutyDate.format(until))) }
        return CursorPages(client: self, path: "/audit/records", key: "records", query: query, pageSize: pageSize)
    }
}
