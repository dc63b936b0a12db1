import Fluent
import Foundation

/// What needs someone's attention, gathered from every feature: stale or failing syncs,
/// unlinked people, failing webhook and Slack deliveries, runs waiting for approval or held
/// by the guard, and integration problems. Users see what concerns the rotations they may
/// see; administrators see everything.
struct AttentionList {
    let db: any Database
    let clock: any AppClock
    let provisioning: ProvisioningAttention

    /// `unreadable`: the rotations (among those shown) whose stored rows cannot be read.
    func items(for user: User, rotations: [Rotation], unreadable: [UUID: UnreadableRecord] = [:]) async throws -> [AttentionItem] {
        var items: [AttentionItem] = []
        for rotation in rotations {
            guard let id = rotation.id, let record = unreadable[id] else { continue }
            items.append(.init(message: "\(rotation.code): its stored \(record.field) cannot be read (\(record.reason)); nothing is assumed until it is set again",
                               link: "/rotations/\(rotation.code)#schedule", action: "Set its schedule"))
        }
        let ids = rotations.compactMap(\.id)
        let byID = Dictionary(rotations.compactMap { r in r.id.map { ($0, r) } }, uniquingKeysWith: { a, _ in a })
        if !ids.isEmpty {
            for sync in try await RotationSync.query(on: db).filter(\.$rotation.$id ~~ ids).all() where sync.staleSince != nil || sync.sourceMissing {
                guard let rotation = byID[sync.$rotation.id] else { continue }
                let what = sync.sourceMissing ? "its PagerDuty schedule is missing" : "PagerDuty sync failing since \(sync.staleSince!.displayString)"
                items.append(.init(message: "\(rotation.code): \(what)", link: "/rotations/\(rotation.code)", action: "Open rotation"))
            }
            let unlinked = try await RotationMember.query(on: db).filter(\.$rotation.$id ~~ ids).with(\.$person).all()
                .filter(\.person.isUnlinked).map(\.person.email)
            if !Set(unlinked).isEmpty {
                items.append(.init(message: "\(Set(unlinked).count) person(s) on rotations match nobody in People", link: "/people", action: "Open People"))
            }
            let outputs = try await SlackOutput.query(on: db).filter(\.$rotation.$id ~~ ids).all()
            let stale = try await SlackTarget.query(on: db).filter(\.$key ~~ Array(Set(outputs.flatMap(\.targetKeys))).map(\.stored)).filter(\.$staleSince != nil).all()
            for output in outputs {
                guard let rotation = byID[output.$rotation.id] else { continue }
                if let problem = stale.first(where: { output.targetKeys.contains($0.typedKey) })?.problemList.first {
                    items.append(.init(message: "\(rotation.code) in Slack: \(problem)", link: "/rotations/\(rotation.code)#slack-outputs", action: "Open outputs"))
                }
            }
        }
        guard user.isAdmin else { return items }
        let dayAgo = clock.now().addingTimeInterval(-86_400)
        let failedDeliveries = try await WebhookDelivery.query(on: db).filter(\.$status == .failed).filter(\.$createdAt >= dayAgo).count()
        if failedDeliveries > 0 {
            items.append(.init(message: "\(failedDeliveries) webhook deliveries failed in the last 24 hours", link: SettingsTab.webhooks.path, action: "Open webhooks"))
        }
        let failedMessages = try await SlackMessage.query(on: db).filter(\.$status == .failed).filter(\.$createdAt >= dayAgo).count()
        if failedMessages > 0 {
            items.append(.init(message: "\(failedMessages) Slack message(s) could not be posted in the last 24 hours", link: SettingsTab.integrations.path,
                               action: "Open integrations"))
        }
        // The same facts the reminder digest sends: the newest waiting runs, failing sources.
        let waiting = try await provisioning.facts()
        for run in waiting.runs.suffix(5).reversed() {
            items.append(.init(message: run.held_by_guard ? "A provisioning run is held by the mass-termination guard" : "A provisioning run waits for approval",
                               link: "/provisioning/runs/\(run.id.uuidString)", action: "Review run"))
        }
        for source in waiting.failing_sources {
            items.append(.init(message: "HR source \(source.name) has failed since \(source.failing_since.displayString): \(source.message ?? "no detail")",
                               link: "/provisioning#sources", action: "Open provisioning"))
        }
        if let pagerDuty = try await PagerDutyConnection.current(on: db), pagerDuty.status != .active {
            items.append(.init(message: "PagerDuty: \(pagerDuty.statusDetail ?? pagerDuty.status.rawValue.replacingOccurrences(of: "_", with: " "))",
                               link: SettingsTab.integrations.path, action: "Open integrations"))
        }
        if let slack = try await SlackConnection.current(on: db) {
            for problem in slack.problems {
                items.append(.init(message: "Slack: \(problem)", link: SettingsTab.integrations.path, action: "Open integrations"))
            }
        }
        return items
    }
}
