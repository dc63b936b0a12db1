import Fluent
import Foundation
import Logging
import PagerDutyKit

/// What changed in PagerDuty since this instance last looked, from its audit records; and the
/// pacing of this instance's reads (audit records, on-call polls, the spread-out refresh).
actor ChangeFeed {
    enum Changes: Equatable {
        /// Audit records were read: these schedules changed.
        case following(Set<String>)
        /// Read less than a minute ago; nothing new to say.
        case notYetDue
        /// The credential cannot read audit records: poll `/oncalls` instead.
        case unavailable
        /// PagerDuty failed to answer: nothing is read until the outage backoff has passed.
        case failing
    }

    static let interval: TimeInterval = 60
    /// How often each rotation is read again anyway: hourly while changes are found by polling
    /// on-calls; daily while audit records say what changed (the 14-day held window is then
    /// extended well before it runs out).
    static let refreshInterval: TimeInterval = 3600
    static let followingRefreshInterval: TimeInterval = 86_400

    /// Refreshes a minute at most while polling: with thousands of rotations an hourly
    /// refresh would spend a third of the key's budget on reads the `/oncalls` poll (which
    /// checks the next 24 hours of every schedule each minute) mostly makes needless.
    static let maxRefreshesPerMinute = 60.0

    /// The refresh interval for the way changes are found now, for `rotations` bound rotations.
    func currentRefreshInterval(now: Date, rotations: Int) -> TimeInterval {
        if lastRead != nil && (unavailableUntil.map { now >= $0 } ?? true) { return Self.followingRefreshInterval }
        return max(Self.refreshInterval, Double(rotations) * 60 / Self.maxRefreshesPerMinute)
    }

    /// While PagerDuty fails: passes wait this long, doubling from `outageBackoff` up to
    /// `maxOutageBackoff`, so an outage costs fewer requests than a healthy minute.
    static let outageBackoff: TimeInterval = 90
    static let maxOutageBackoff: TimeInterval = 300
    private var outageFailures = 0
    private var quietUntil: Date?

    /// Whether passes must wait out an outage now.
    func backingOff(now: Date) -> Bool { quietUntil.map { now < $0 } ?? false }

    /// A pass found PagerDuty failing: the next one waits longer.
    func recordOutage(now: Date) {
        outageFailures += 1
        quietUntil = now.addingTimeInterval(min(Self.maxOutageBackoff, Self.outageBackoff * pow(2, Double(outageFailures - 1))))
    }

    /// PagerDuty answered: passes run at their own pace again.
    func recordAnswer() {
        outageFailures = 0
        quietUntil = nil
    }

    private var lastRead: Date?
    private var unavailableUntil: Date?
    /// Records already acted on: the overlap between reads must not count them twice.
    private var seen: Set<String> = []
    private var lastScan: Date?
    private var lastOnCallPoll: Date?
    private var refreshCredit: Double = 0
    private var lastCredit: Date?
    private var wholeUserListReadAt: Date?
    /// PagerDuty lists at most 10,000 users by offset; a bigger account is not listed again.
    private var userListTooLong = false

    /// Starts afresh, as after a restart: the next pass reads audit records again (or finds
    /// it cannot) and rescans every rotation.
    func reset() {
        lastRead = nil
        unavailableUntil = nil
        outageFailures = 0
        quietUntil = nil
        seen = []
        lastScan = nil
        lastOnCallPoll = nil
        refreshCredit = 0
        lastCredit = nil
        wholeUserListReadAt = nil
        userListTooLong = false
    }

    func poll(_ client: PagerDutyClient?, db: any Database, now: Date, logger: Logger) async -> Changes {
        if let until = unavailableUntil, until > now { return .unavailable }
        if let lastRead, now.timeIntervalSince(lastRead) < Self.interval { return .notYetDue }
        guard let client else { return .notYetDue }
        do {
            // A few seconds of overlap: records are stamped by PagerDuty's clock, not ours.
            let since = (lastRead ?? now.addingTimeInterval(-Self.interval)).addingTimeInterval(-10)
            let records = try await client.auditRecords(since: since, rootResourceTypes: ["schedules", "users", "escalation_policies"]).collect()
            lastRead = now
            recordAnswer()
            let fresh = records.filter { !seen.contains($0.id) }
            seen = Set(records.map(\.id))
            var schedules = Set<String>()
            var users: [String] = []
            for record in fresh {
                guard let id = record.rootResource?.id else { continue }
                // A changed schedule or escalation policy: the rotations following it are read again.
                let type = record.rootResource?.type ?? ""
                if type.hasPrefix("schedule") || type.hasPrefix("escalation_policy") { schedules.insert(id) } else { users.append(id) }
            }
            // A changed user's email or name is read again on the next sync that needs it.
            if !users.isEmpty { try await PagerDutyUserRecord.query(on: db).filter(\.$id ~~ users).delete() }
            return .following(schedules)
        } catch let error as PagerDutyError {
            switch error {
            case .forbidden, .paymentRequired, .notFound:
                // No audit access (missing scope, or an account without the ability): poll for an hour, then look again.
                unavailableUntil = now.addingTimeInterval(Self.refreshInterval)
                logger.info("PagerDuty audit records unavailable; polling on-calls instead", metadata: ["error": "\(String(describing: error).prefix(120))"])
                return .unavailable
            default:
                // A passing failure: the next look starts from the last good read, so nothing is missed.
                logger.warning("reading PagerDuty audit records failed", metadata: ["error": "\(String(describing: error).prefix(120))"])
                return error.isOutage ? .failing : .notYetDue
            }
        } catch {
            logger.warning("reading PagerDuty audit records failed", metadata: ["error": "\(String(describing: error).prefix(120))"])
            return .failing
        }
    }

    /// Whether this pass should look at the bound rotations at all: when there is news, and
    /// otherwise every few seconds (retries of stale rotations, the spread-out refresh).
    func scanDue(now: Date, changes: Changes) -> Bool {
        let news = switch changes {
        case .following: true
        case .unavailable: onCallPollDue(now: now)
        case .notYetDue, .failing: false
        }
        if news || lastScan.map({ now.timeIntervalSince($0) >= 5 || now < $0 }) ?? true {
            lastScan = now
            return true
        }
        return false
    }

    func onCallPollDue(now: Date) -> Bool {
        lastOnCallPoll.map { now.timeIntervalSince($0) >= Self.interval || now < $0 } ?? true
    }

    func onCallPollSucceeded(now: Date) {
        lastOnCallPoll = now
        recordAnswer()
    }

    /// How many rotations may be refreshed now so that each is refreshed about hourly, evenly
    /// over time rather than all in the minute their hour is up.
    func refreshAllowance(rotations: Int, now: Date) -> Int {
        let elapsed = lastCredit.map { max(0, now.timeIntervalSince($0)) } ?? 0
        lastCredit = now
        let perSecond = Double(rotations) / currentRefreshInterval(now: now, rotations: rotations)
        refreshCredit = min(refreshCredit + elapsed * perSecond, perSecond * 60 + 1)
        return Int(refreshCredit)
    }

    func spendRefreshes(_ count: Int) { refreshCredit = max(0, refreshCredit - Double(count)) }

    /// Whether a sync may read PagerDuty's whole user list now (at most every ten minutes).
    func takeWholeUserListRead(now: Date) -> Bool {
        if userListTooLong { return false }
        if let last = wholeUserListReadAt, now.timeIntervalSince(last) < 600, now >= last { return false }
        wholeUserListReadAt = now
        return true
    }

    func markUserListTooLong() { userListTooLong = true }
}
