import Foundation
import PagerDutyKit
import ShiftbridgeCore

/// Reads what a provisioning plan starts from, completely or not at all: a plan made from a
/// partial read would delete or recreate users it merely did not see. PagerDuty lists at
/// most 10,000 users by offset; in a bigger account every employee the list did not reach is
/// looked up on its own (by PagerDuty id, else by email), so "not in a capped list" is never
/// taken as "absent".
struct PagerDutyAccountReader {
    let client: PagerDutyClient

    struct Wanted: Sendable {
        let email: String
        let pagerDutyUserID: String?
    }

    func snapshot(rules: RoleRules, employees: [Wanted]) async throws -> AccountSnapshot {
        do {
            return try await read(rules: rules, employees: employees)
        } catch let error as PagerDutyError {
            throw AppError(.upstream, code: "pagerduty_read_failed", "Could not read PagerDuty completely, so nothing was planned: \(error.description)")
        }
    }

    private func read(rules: RoleRules, employees: [Wanted]) async throws -> AccountSnapshot {
        var users: [PDUser] = []
        var complete = true
        var pages = client.users().makeAsyncIterator()
        do {
            while let user = try await pages.next() { users.append(user) }
        } catch PagerDutyError.paginationLimitReached {
            complete = false
        }
        if !complete { users += try await lookUp(employees, beyond: users) }
        let teams = try await client.teams().collect()
        var teamIndex: [String: String] = [:]
        var teamNames: [String: String] = [:]
        for team in teams {
            teamIndex[team.id] = team.id
            if let name = team.name { teamIndex[name.lowercased()] = team.id }
            teamNames[team.id] = team.name ?? team.id
        }
        let managed = Set(rules.rules.flatMap(\.teams).compactMap { teamIndex[$0.team] ?? teamIndex[$0.team.lowercased()] })
        var memberships: [String: [String: String]] = [:]
        for teamID in managed.sorted() {
            for try await member in client.teamMembers(teamID: teamID) {
                memberships[member.user.id, default: [:]][teamID] = member.role ?? "responder"
            }
        }
        var licenses: [String: String] = [:]
        if rules.rules.contains(where: { $0.license != nil }) {
            for license in try await client.licenses() {
                licenses[license.id] = license.id
                if let name = license.name { licenses[name.lowercased()] = license.id }
            }
        }
        return AccountSnapshot(
            users: users.filter { !$0.isDeleted }.map {
                .init(id: $0.id, name: $0.name ?? "", email: ($0.email ?? "").lowercased(), role: $0.role ?? "user", jobTitle: $0.jobTitle,
                      timeZone: $0.timeZone, description: $0.description, teams: memberships[$0.id] ?? [:])
            },
            teams: teamIndex, teamNames: teamNames, licenses: licenses, owner: users.first { $0.role == "owner" }?.email)
    }

    /// The PagerDuty users of employees a capped list did not reach, one request each.
    private func lookUp(_ employees: [Wanted], beyond listed: [PDUser]) async throws -> [PDUser] {
        var seenIDs = Set(listed.map(\.id))
        let seenEmails = Set(listed.compactMap { $0.email?.lowercased() })
        var found: [PDUser] = []
        for wanted in employees where !seenEmails.contains(wanted.email.lowercased()) && !(wanted.pagerDutyUserID.map(seenIDs.contains) ?? false) {
            var user: PDUser?
            if let id = wanted.pagerDutyUserID {
                do { user = try await client.user(id: id) } catch PagerDutyError.notFound { user = nil }
            }
            if user == nil { user = try await client.user(email: wanted.email) }
            if let user, seenIDs.insert(user.id).inserted { found.append(user) }
        }
        return found
    }

    /// What stops each user's deletion in PagerDuty: open incidents, escalation policies that
    /// target them directly, schedule layers. Only users with something in the way are keyed.
    func deletionBlockers(_ userIDs: Set<String>) async throws -> [String: DeletionBlockers] {
        var blockers: [String: DeletionBlockers] = [:]
        let ids = Array(userIDs).sorted()
        do {
            for start in stride(from: 0, to: ids.count, by: 50) {
                let batch = Array(ids[start..<min(start + 50, ids.count)])
                for try await incident in client.openIncidents(userIDs: batch) {
                    for assignee in incident.assignees where userIDs.contains(assignee.id) {
                        blockers[assignee.id, default: .init()].incidents.append("#\(incident.number.map(String.init) ?? incident.id)")
                    }
                }
                for try await policy in client.escalationPolicies(userIDs: batch) {
                    for target in policy.levels.joined() where userIDs.contains(target.id) {
                        blockers[target.id, default: .init()].escalationPolicies.append(policy.name ?? policy.id)
                    }
                }
            }
            for try await schedule in client.schedules() {
                for user in schedule.layerUserIDs where userIDs.contains(user) {
                    blockers[user, default: .init()].schedules.append(schedule.name ?? schedule.id)
                }
            }
        } catch let error as PagerDutyError {
            throw AppError(.upstream, code: "pagerduty_read_failed", "Could not check what blocks the deletions, so nothing was planned: \(error.description)")
        }
        return blockers
    }
}
