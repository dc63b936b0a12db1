import EmulatorSupport
import Foundation

/// The accounts an emulator can start with.
enum Seeds {
    static let ownerEmail = "owner@shiftbridge-demo.example"
    static let demoReadOnlyKey = "u+demo-read-only-key-0001"
    static let demoOAuthClientID = "demo-oauth-client-0001"
    static let demoOAuthClientSecret = "pdus+demo-oauth-secret-0001"

    static func load(_ seed: EmulatorState.Seed, into storage: inout EmulatorState.Storage) {
        storage.account = Account()
        storage.account.licenses = [
            ELicense(id: "PLFULL1", name: "Full User", validRoles: ["owner", "admin", "user", "limited_user", "observer", "restricted_access"], allocationsAvailable: 20_000),
            ELicense(id: "PLSTAK1", name: "Stakeholder", validRoles: ["read_only_user", "read_only_limited_user"], allocationsAvailable: 500),
        ]
        let now = storage.clock.now()
        _ = addUser(&storage.account, name: "Avery Owner", email: ownerEmail, role: "owner", zone: "Etc/UTC", now: now)
        if seed == .demo { loadDemo(&storage, now: now) }
    }

    @discardableResult
    static func addUser(_ account: inout Account, name: String, email: String, role: String, zone: String, title: String? = nil, now: Date) -> String {
        let id = account.makeID("U")
        account.users[id] = EUser(id: id, name: name, email: email, role: role, timeZone: zone, jobTitle: title, description: nil,
                                  color: ["purple", "green", "teal", "orange", "red"][account.users.count % 5],
                                  licenseID: role.hasPrefix("read_only") ? "PLSTAK1" : "PLFULL1", createdAt: now,
                                  contactMethodID: account.makeID("C"), notificationRuleID: account.makeID("N"))
        account.userOrder.append(id)
        return id
    }

    private static func loadDemo(_ storage: inout EmulatorState.Storage, now: Date) {
        var account = storage.account
        let zones = ["Europe/London", "America/New_York", "Europe/Berlin", "Asia/Tokyo", "America/Los_Angeles"]
        let roles = ["user", "user", "user", "limited_user", "user", "admin", "user", "observer", "limited_user", "user"]
        var users: [String] = []
        for index in 0..<59 {
            let person = DemoPeople.person(index)
            let role = index == 58 ? "read_only_user" : roles[index % roles.count]
            users.append(addUser(&account, name: person.name, email: person.email,
                                 role: role, zone: zones[index % zones.count], title: index % 7 == 0 ? "Engineering Manager" : "Engineer", now: now))
        }
        let teamNames = ["Platform", "Payments", "Mobile", "Data", "Security"]
        var teams: [String] = []
        for (index, name) in teamNames.enumerated() {
            var team = ETeam(id: account.makeID("T"), name: name, description: "\(name) engineering")
            for (offset, user) in users[(index * 11)..<(index * 11 + 11)].enumerated() {
                team.members.append((user, offset == 0 ? "manager" : (offset == 10 ? "observer" : "responder")))
            }
            account.teams[team.id] = team
            account.teamOrder.append(team.id)
            teams.append(team.id)
        }

        // Rotations start on a Monday 09:00 UTC a few weeks back, so the demo has history.
        var utc = Calendar(identifier: .iso8601)
        utc.timeZone = .gmt
        let weekStart = utc.date(from: utc.dateComponents([.yearForWeekOfYear, .weekOfYear], from: now))!
        let anchor = weekStart.addingTimeInterval(-4 * 7 * 86_400 + 9 * 3600)
        let day = 86_400
        func layer(_ name: String, _ members: ArraySlice<String>, turn: Int, index: Int, restrictions: [ScheduleRenderer.Restriction] = [], shift: TimeInterval = 0) -> ELayer {
            ELayer(id: account.makeID("L"), name: name, start: anchor, end: nil, rotationVirtualStart: anchor.addingTimeInterval(shift),
                   turnLengthSeconds: turn, userIDs: Array(members), restrictions: restrictions, renderingIndex: index)
        }
        let weekend = ScheduleRenderer.Restriction(kind: .weekly, startTimeOfDay: 18 * 3600, durationSeconds: 2 * day + 15 * 3600, startDayOfWeek: 5)
        let office = ScheduleRenderer.Restriction(kind: .daily, startTimeOfDay: 9 * 3600, durationSeconds: 8 * 3600)
        let evening = ScheduleRenderer.Restriction(kind: .daily, startTimeOfDay: 17 * 3600, durationSeconds: 16 * 3600)
        let definitions: [(String, String, [ELayer], Int)] = [
            ("Platform Primary", "Europe/London", [layer("Weekly", users[0..<6], turn: 7 * day, index: 1),
                                                   layer("Weekend cover", users[6..<9], turn: 7 * day, index: 2, restrictions: [weekend])], 0),
            ("Platform Secondary", "Europe/London", [layer("Weekly", users[3..<9], turn: 7 * day, index: 1, shift: 3.5 * 86_400)], 0),
            ("Payments On-call", "America/New_York", [layer("Business hours", users[11..<16], turn: day, index: 1, restrictions: [office]),
                                                      layer("After hours", users[16..<20], turn: 7 * day, index: 2, restrictions: [evening])], 1),
            ("Mobile Releases", "Asia/Tokyo", [layer("12-hour shifts", users[22..<26], turn: day / 2, index: 1)], 2),
            ("Data Pipelines", "Europe/Berlin", [layer("Weekly", users[33..<38], turn: 7 * day, index: 1)], 3),
            ("Security Incident Response", "America/Los_Angeles", [layer("Primary", users[44..<49], turn: 7 * day, index: 1),
                                                                   layer("Escalation lead", users[49..<51], turn: 14 * day, index: 2)], 4),
            ("Follow the Sun", "Etc/UTC", [
                layer("APAC", users[22..<25], turn: 7 * day, index: 1, restrictions: [.init(kind: .daily, startTimeOfDay: 0, durationSeconds: 8 * 3600)]),
                layer("EMEA", users[0..<3], turn: 7 * day, index: 2, restrictions: [.init(kind: .daily, startTimeOfDay: 8 * 3600, durationSeconds: 8 * 3600)]),
                layer("AMER", users[11..<14], turn: 7 * day, index: 3, restrictions: [.init(kind: .daily, startTimeOfDay: 16 * 3600, durationSeconds: 8 * 3600)]),
            ], 0),
            ("Database SRE", "Etc/UTC", [layer("Fortnightly", users[33..<36] + users[0..<2], turn: 14 * day, index: 1)], 3),
        ]
        var scheduleIDs: [String] = []
        for (name, zone, layers, team) in definitions {
            let schedule = ESchedule(id: account.makeID("S"), name: name, description: "\(name) rotation", timeZone: zone, layers: layers, teamIDs: [teams[team]])
            account.schedules[schedule.id] = schedule
            account.scheduleOrder.append(schedule.id)
            scheduleIDs.append(schedule.id)
        }
        // Overrides: tonight's swap on Platform Primary, and a future one on Payments.
        let tonight = utc.startOfDay(for: now).addingTimeInterval(20 * 3600)
        account.schedules[scheduleIDs[0]]!.overrides.append(EOverride(id: account.makeID("O"), start: tonight, end: tonight.addingTimeInterval(10 * 3600), userID: users[8]))
        account.schedules[scheduleIDs[2]]!.overrides.append(EOverride(id: account.makeID("O"), start: tonight.addingTimeInterval(2 * Double(day)),
                                                                      end: tonight.addingTimeInterval(3 * Double(day)), userID: users[20]))

        let policies: [(String, [[EEscalationPolicy.Target]], Int)] = [
            ("Platform", [[.init(kind: .schedule, id: scheduleIDs[0])], [.init(kind: .schedule, id: scheduleIDs[1])], [.init(kind: .user, id: users[0])]], 0),
            ("Payments", [[.init(kind: .schedule, id: scheduleIDs[2])], [.init(kind: .user, id: users[11])]], 1),
            ("Mobile", [[.init(kind: .schedule, id: scheduleIDs[3])]], 2),
            ("Data", [[.init(kind: .schedule, id: scheduleIDs[4]), .init(kind: .schedule, id: scheduleIDs[7])]], 3),
            ("Security", [[.init(kind: .schedule, id: scheduleIDs[5])], [.init(kind: .user, id: users[44])]], 4),
            ("Global follow-the-sun", [[.init(kind: .schedule, id: scheduleIDs[6])]], 0),
        ]
        var serviceIDs: [String] = []
        for (name, levels, team) in policies {
            let policy = EEscalationPolicy(id: account.makeID("P"), name: "\(name) escalation", description: nil,
                                           rules: levels.map { .init(id: account.makeID("E"), delayMinutes: 30, targets: $0) }, teamIDs: [teams[team]])
            account.escalationPolicies[policy.id] = policy
            account.escalationPolicyOrder.append(policy.id)
            let service = EService(id: account.makeID("V"), name: "\(name) API", escalationPolicyID: policy.id)
            account.services[service.id] = service
            serviceIDs.append(service.id)
        }
        for (title, service, assignee) in [("Checkout latency above SLO", 1, users[12]), ("Disk 90% on db-3", 3, users[34]), ("Login errors spiking", 0, users[2])] {
            let incident = EIncident(id: account.makeID("I"), number: account.nextIncidentNumber, title: title, status: "triggered", urgency: "high",
                                     serviceID: serviceIDs[service], escalationPolicyID: account.services[serviceIDs[service]]?.escalationPolicyID,
                                     assigneeIDs: [assignee], createdAt: now.addingTimeInterval(-3600))
            account.nextIncidentNumber += 1
            account.incidents[incident.id] = incident
            account.incidentOrder.append(incident.id)
        }
        storage.account = account
        storage.apiKeys[demoReadOnlyKey] = APIKeyRecord(key: demoReadOnlyKey, readOnly: true, label: "key…\(demoReadOnlyKey.suffix(4))")
        storage.oauthApps[demoOAuthClientID] = OAuthAppRecord(
            clientID: demoOAuthClientID, clientSecret: demoOAuthClientSecret,
            redirectURI: "http://127.0.0.1:8080/api/integrations/pagerduty/login/callback", scopes: [])
    }
}

extension EmulatorState {
    /// Fills the account at benchmark scale without going through the API: `users` users and
    /// `schedules` schedules of `usersPerSchedule` people each, in daily turns that all hand
    /// over at `handoff`'s time of day (the worst case for a follower), ten schedules per
    /// escalation policy. Users are `<emailPrefix><n>@scale.example`; members are taken in order
    /// from the `membersFrom`th new user. Returns the schedule ids.
    public func addScale(users: Int, schedules: Int, usersPerSchedule: Int = 10, membersFrom: Int = 0,
                         emailPrefix: String = "person", handoff: Date) -> [String] {
        withStorage { storage in
            var account = storage.account
            let now = storage.clock.now()
            var userIDs: [String] = []
            userIDs.reserveCapacity(users)
            for index in 0..<users {
                userIDs.append(Seeds.addUser(&account, name: "Person \(index)", email: "\(emailPrefix)\(index)@scale.example", role: "user", zone: "Etc/UTC", now: now))
            }
            var scheduleIDs: [String] = []
            for index in 0..<schedules {
                let members = (0..<usersPerSchedule).map { userIDs[(membersFrom + index * usersPerSchedule + $0) % userIDs.count] }
                let layer = ELayer(id: account.makeID("L"), name: "Daily", start: handoff.addingTimeInterval(-30 * 86_400), end: nil,
                                   rotationVirtualStart: handoff, turnLengthSeconds: 86_400, userIDs: members, restrictions: [], renderingIndex: 1)
                let schedule = ESchedule(id: account.makeID("S"), name: "Scale schedule \(index)", description: nil, timeZone: "Etc/UTC",
                                         layers: [layer], teamIDs: [])
                account.schedules[schedule.id] = schedule
                account.scheduleOrder.append(schedule.id)
                scheduleIDs.append(schedule.id)
            }
            for start in stride(from: 0, to: scheduleIDs.count, by: 10) {
                let targets = scheduleIDs[start..<min(start + 10, scheduleIDs.count)].map { EEscalationPolicy.Target(kind: .schedule, id: $0) }
                let policy = EEscalationPolicy(id: account.makeID("P"), name: "Scale policy \(start / 10)", description: nil,
                                               rules: [.init(id: account.makeID("E"), delayMinutes: 30, targets: targets)], teamIDs: [])
                account.escalationPolicies[policy.id] = policy
                account.escalationPolicyOrder.append(policy.id)
            }
            storage.account = account
            return scheduleIDs
        }
    }
}
