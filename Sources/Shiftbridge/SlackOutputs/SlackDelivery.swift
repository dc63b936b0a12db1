import Fluent
import Foundation
import Logging
import ShiftbridgeCore
import SlackKit

/// The Slack delivery job's pass: refresh the members when an hour old, queue reminders,
/// post queued messages, then bring every dirty group and topic to what the rotations
/// feeding it want, calling Slack only where Slack differs. A failed read never empties or
/// shrinks a group: the last good state stays, and the target reads "stale since …".
struct SlackDelivery {
    let db: any Database
    let clock: any AppClock
    let clients: SlackClients
    let directory: SlackDirectory
    let duty: RotationDuty
    let connector: SlackConnector
    let unreadable: UnreadableRecords
    let logger: Logger
    /// A pass stops taking new targets after this long, so a burst paced by Slack's tiers
    /// does not hold the job for minutes; the rest stay dirty for the next pass.
    var passBudget: Duration = .seconds(20)

    func run() async throws {
        try await connector.renewTokensIfDue()
        guard let pair = try await clients.clients() else { return }
        if !(try await directory.isFresh()) { await directory.refresh() }
        let started = ContinuousClock.now
        try await queueReminders()
        try await sendMessages(pair)
        try await applyTargets(pair, started: started)
    }

    /// Brings due targets right: groups first (one `usergroups.list` for all), then topics.
    func applyTargets(_ pair: SlackClients.Pair, started: ContinuousClock.Instant) async throws {
        let now = clock.now()
        let due = try await SlackTarget.query(on: db).filter(\.$dirty == true).filter(\.$nextAttemptAt <= now).sort(\.$nextAttemptAt).all()
        guard !due.isEmpty else { return }
        let outputs = try await SlackOutput.query(on: db).with(\.$rotation).all()
        let facts = try await SlackDutyFacts.load(outputs.map(\.rotation), duty: duty, on: db)
        let groupTargets = due.filter { $0.kind == .usergroup }
        if !groupTargets.isEmpty {
            do {
                let groups = try await pair.bot.usergroups()
                for target in groupTargets {
                    guard ContinuousClock.now - started < passBudget else { break }
                    try await applyGroup(target, groups: groups, outputs: outputs, facts: facts, pair: pair)
                }
            } catch let error as SlackAPIError {
                for target in groupTargets { try await failed(target, error, pair: pair) }
            }
        }
        for target in due where target.kind == .topic {
            guard ContinuousClock.now - started < passBudget else { break }
            try await applyTopic(target, outputs: outputs, facts: facts, pair: pair)
        }
    }

    /// Records a failed attempt: the group keeps what it has, the target says why and when
    /// it went stale, and it is tried again later (after `Retry-After` when Slack said).
    func failed(_ target: SlackTarget, _ error: SlackAPIError, pair: SlackClients.Pair) async throws {
        let now = clock.now()
        var problem = error.description
        var retryIn = min(300, 5 * pow(2, Double(target.attempts)))
        switch error {
        case .rateLimited(_, let retryAfter):
            retryIn = retryAfter
            problem = "Rate limited until \(SlackDutyFacts.format(now.addingTimeInterval(retryAfter), zone: .gmt))"
        case .api(_, "permission_denied", _, _):
            problem = pair.usesUserToken ? "The user token's owner may not edit user groups: use an admin's token"
                : "Only admins may edit user groups: add a user token"
            pair.connection.groupEditsDenied = !pair.usesUserToken
            try await pair.connection.save(on: db)
        case .api(_, "plan_upgrade_required", _, _):
            problem = "User groups need a paid Slack plan"
            pair.connection.freePlan = true
            try await pair.connection.save(on: db)
        case .api(_, "invalid_users", _, _), .api(_, "failed_for_some_users", _, _):
            problem = "Slack refused some members; the member list is read again"
            _ = await directory.refresh()
        default:
            if error.isAuthenticationFailure {
                pair.connection.status = .tokenRevoked
                try await pair.connection.save(on: db)
                problem = "Token revoked"
            }
        }
        target.problems = problem
        target.staleSince = target.staleSince ?? now
        target.attempts += 1
        target.nextAttemptAt = now.addingTimeInterval(retryIn)
        try await target.save(on: db)
        logger.notice("Slack target not applied", metadata: ["target": "\(target.key)", "problem": "\(problem)"])
    }
}
