import Foundation
import PagerDutyKit
import ShiftbridgeCore

/// What a rotation would hold if bound to these PagerDuty sources, read live before binding:
/// each source's next shifts, and the on-duty set they make together, change by change.
struct SourcesPreview {
    struct Source {
        let label: String
        let shifts: [(start: Date, end: Date?, person: String)]
    }

    let title: String
    let sources: [Source]
    let merged: [HeldTimeline.Segment]

    static let window: TimeInterval = 7 * 86_400

    /// Reads every schedule named, and for a policy its levels 1…maxLevel (schedules and users
    /// targeted directly, who are always on duty). Throws as PagerDutyKit does.
    static func read(scheduleIDs: [String], policy: (id: String, maxLevel: Int)?, client: PagerDutyClient, now: Date) async throws -> SourcesPreview {
        var ids = scheduleIDs
        var labels: [String: String] = [:]
        var direct: [(level: Int, user: PDReference)] = []
        var title = ids.count == 1 ? "One schedule" : "\(ids.count) schedules together"
        if let policy {
            let read = try await client.escalationPolicy(id: policy.id)
            title = "\(read.name ?? read.id), " + (policy.maxLevel == 1 ? "level 1" : "levels 1–\(policy.maxLevel)")
            for (index, targets) in read.levels.prefix(policy.maxLevel).enumerated() {
                for target in targets {
                    if target.type?.hasPrefix("schedule") == true, !ids.contains(target.id) { ids.append(target.id) }
                    if target.type?.hasPrefix("user") == true, !direct.contains(where: { $0.user.id == target.id }) { direct.append((index + 1, target)) }
                }
            }
        }
        var entries: [HeldTimeline.Entry] = []
        var sources: [Source] = []
        for id in ids {
            let schedule = try await client.schedule(id: id, since: now, until: now.addingTimeInterval(window), overflow: true)
            let label = "Schedule \(schedule.name ?? id)"
            labels[id] = label
            let shifts = schedule.finalEntries.compactMap { entry in
                entry.user.map { HeldTimeline.Entry(start: entry.start, end: entry.end, email: nil, name: $0.name, pagerDutyUserID: $0.id, source: label) }
            }
            entries += shifts
            sources.append(Source(label: label, shifts: shifts.map { ($0.start, $0.end, $0.name ?? $0.pagerDutyUserID) }))
        }
        for (level, user) in direct {
            let entry = HeldTimeline.Entry(start: now, end: nil, email: nil, name: user.summary, pagerDutyUserID: user.id, source: "Level \(level)")
            entries.append(entry)
            sources.append(Source(label: "Level \(level): \(user.summary ?? user.id), paged directly", shifts: [(now, nil, entry.name ?? user.id)]))
        }
        let merged = HeldTimeline(entries: entries).segments(from: now, until: now.addingTimeInterval(window), limit: 12)
        return SourcesPreview(title: title, sources: sources, merged: merged)
    }
}
