import Foundation

/// Every background job, on one screen: what runs, how often, and on how many instances.
enum AppJobs {
    static func all(_ services: AppServices) -> [Job] {
        [
            // Handoffs are recorded and announced once: one instance; the pass says when the
            // next boundary is, so a handoff lands within a second of it.
            Job("handoffs", every: 1, .oneInstance) { _ in
                try await services.rotationHandoffs(services.db).applyDue()
            },
            // Every instance reads PagerDuty for the rotations due, each under a lease of its own.
            Job("pagerduty-sync", every: 1, .everyInstance) { holder in
                try await services.rotationSyncPass(services.db).run(holder: holder)
                return nil
            },
            Job("webhook-delivery", every: 1, .everyInstance) { holder in
                try await services.webhookSender(services.db).deliverDue(holder: holder)
                return nil
            },
            // Slack groups, topics and messages: one instance, so a group is never written by
            // two at once and Slack's per-app tiers are counted in one place.
            Job("slack-delivery", every: 1, .oneInstance) { _ in
                try await services.slackDelivery(services.db).run()
                return nil
            },
            Job("provisioning-apply", every: 1, .everyInstance) { holder in
                try await services.provisioningApplier(services.db).applyDue(holder: holder)
                return nil
            },
            Job("provisioning-schedule", every: 30, .oneInstance) { _ in
                try await services.provisioningApplier(services.db).startScheduledRun()
                return nil
            },
            // HR sources on their schedules, and those asked to run now: one instance, so a
            // dropped file is imported once.
            Job("hr-sources", every: 5, .oneInstance) { _ in
                try await services.hrSources(services.db).runDue()
                return nil
            },
            // The digest of what waits on administrators, every `reminder_hours` (under a lease).
            Job("provisioning-attention", every: 60, .oneInstance) { _ in
                try await services.provisioningAttention(services.db).remindIfDue()
                return nil
            },
            // A rotated refresh token may be used once: one instance refreshes.
            Job("token-refresh", every: 60, .oneInstance) { _ in
                await services.tokenRefresher(services.db).runOnce()
                return nil
            },
            Job("session-pruning", every: 3600, .oneInstance) { _ in
                try await ExpiredSessionsPruner.runOnce(db: services.db, now: services.clock.now())
                return nil
            },
        ]
    }
}
