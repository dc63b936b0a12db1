import EmulatorSupport
import Foundation

/// PagerDuty's JSON shapes for the account's objects.
struct Renderer {
    let base: String
    let web = "https://shiftbridge-demo.pagerduty.com"

    func reference(_ type: String, _ id: String, summary: String, path: String) -> JSON {
        ["id": .string(id), "type": .string("\(type)_reference"), "summary": .string(summary),
         "self": .string("\(base)/\(path)/\(id)"), "html_url": .string("\(web)/\(path)/\(id)")]
    }

    func userReference(_ user: EUser?, id: String) -> JSON {
        // A deleted user's reference keeps its id; PagerDuty then shows it without a name.
        guard let user else { return ["id": .string(id), "type": "user_reference", "summary": "Deleted User", "self": .null, "html_url": .null, "deleted_at": .string(PDTime.format(Date()))] }
        return reference("user", user.id, summary: user.name, path: "users")
    }

    func user(_ user: EUser, account: Account, include: Set<String> = []) -> JSON {
        let teams = account.teamOrder.compactMap { account.teams[$0] }.filter { team in team.members.contains { $0.userID == user.id } }
        let contactMethod: JSON = include.contains("contact_methods")
            ? ["id": .string(user.contactMethodID), "type": "email_contact_method", "summary": "Default", "label": "Default",
               "address": .string(user.email), "self": .string("\(base)/users/\(user.id)/contact_methods/\(user.contactMethodID)"), "html_url": .null]
            : ["id": .string(user.contactMethodID), "type": "email_contact_method_reference", "summary": "Default",
               "self": .string("\(base)/users/\(user.id)/contact_methods/\(user.contactMethodID)"), "html_url": .null]
        let rule: JSON = include.contains("notification_rules")
            ? ["id": .string(user.notificationRuleID), "type": "assignment_notification_rule", "summary": "0 minutes: channel \(user.contactMethodID)",
               "start_delay_in_minutes": 0, "urgency": "high", "contact_method": contactMethod,
               "self": .string("\(base)/users/\(user.id)/notification_rules/\(user.notificationRuleID)"), "html_url": .null]
            : ["id": .string(user.notificationRuleID), "type": "assignment_notification_rule_reference", "summary": "0 minutes: channel \(user.contactMethodID)",
               "self": .string("\(base)/users/\(user.id)/notification_rules/\(user.notificationRuleID)"), "html_url": .null]
        return [
            "id": .string(user.id), "type": "user", "summary": .string(user.name),
            "self": .string("\(base)/users/\(user.id)"), "html_url": .string("\(web)/users/\(user.id)"),
            "name": .string(user.name), "email": .string(user.email), "time_zone": .string(user.timeZone),
            "color": .string(user.color), "role": .string(user.role), "avatar_url": .string("https://secure.gravatar.com/avatar/\(user.id).png?d=mm&r=PG"),
            "description": .optional(user.description), "invitation_sent": false, "job_title": .optional(user.jobTitle),
            "teams": .array(teams.map { include.contains("teams") ? team($0) : reference("team", $0.id, summary: $0.name, path: "teams") }),
            "contact_methods": [contactMethod], "notification_rules": [rule],
            "coordinated_incidents": [],
            "license": user.licenseID.flatMap { id in account.licenses.first { $0.id == id } }.map { reference("license", $0.id, summary: $0.name, path: "licenses") } ?? .null,
        ]
    }

    func team(_ team: ETeam) -> JSON {
        ["id": .string(team.id), "type": "team", "summary": .string(team.name), "name": .string(team.name),
         "description": .optional(team.description), "default_role": .string(team.defaultRole), "parent": .null,
         "self": .string("\(base)/teams/\(team.id)"), "html_url": .string("\(web)/teams/\(team.id)")]
    }

    func restriction(_ restriction: ScheduleRenderer.Restriction) -> JSON {
        let seconds = restriction.startTimeOfDay
        var json: [String: JSON] = [
            "type": .string(restriction.kind.rawValue),
            "start_time_of_day": .string(String(format: "%02d:%02d:%02d", seconds / 3600, (seconds % 3600) / 60, seconds % 60)),
            "duration_seconds": .int(restriction.durationSeconds),
        ]
        json["start_day_of_week"] = restriction.startDayOfWeek.map(JSON.int) ?? .null
        return .object(json)
    }

    func entries(_ entries: [ScheduleRenderer.Entry], account: Account, zone: TimeZone) -> JSON {
        .array(entries.map { entry in
            ["start": .date(entry.start, in: zone), "end": .date(entry.end, in: zone),
             "user": userReference(account.users[entry.userID], id: entry.userID)]
        })
    }

    struct Window { let since: Date; let until: Date; let zone: TimeZone; let overflow: Bool }

    func schedule(_ schedule: ESchedule, account: Account, window: Window?) -> JSON {
        let zone = window?.zone ?? schedule.zone
        var layers: [JSON] = []
        var coverage: JSON = .null
        var final: [ScheduleRenderer.Entry] = []
        var overrides: [ScheduleRenderer.Entry] = []
        if let window {
            final = ScheduleRenderer.finalEntries(layers: schedule.renderLayers, overrides: schedule.renderOverrides,
                                                  timeZone: schedule.zone, since: window.since, until: window.until, overflow: window.overflow)
            overrides = schedule.overrides.filter { $0.start < window.until && $0.end > window.since }
                .map { ScheduleRenderer.Entry(start: window.overflow ? $0.start : max($0.start, window.since),
                                              end: window.overflow ? $0.end : min($0.end, window.until), userID: $0.userID) }
            coverage = .double(Self.coverage(final, since: window.since, until: window.until))
        }
        for (layer, render) in zip(schedule.layers, schedule.renderLayers) {
            var json: [String: JSON] = [
                "id": .string(layer.id), "name": .string(layer.name),
                "start": .date(layer.start, in: zone), "end": .date(layer.end, in: zone),
                "rotation_virtual_start": .date(layer.rotationVirtualStart, in: zone),
                "rotation_turn_length_seconds": .int(layer.turnLengthSeconds),
                "users": .array(layer.userIDs.map { ["user": userReference(account.users[$0], id: $0)] }),
                "restrictions": .array(layer.restrictions.map(restriction)),
                "rendering_index": .int(layer.renderingIndex),
            ]
            if let window {
                let rendered = ScheduleRenderer.layerEntries(render, timeZone: schedule.zone, since: window.since, until: window.until)
                json["rendered_schedule_entries"] = entries(rendered, account: account, zone: zone)
                json["rendered_coverage_percentage"] = .double(Self.coverage(rendered, since: window.since, until: window.until))
            } else {
                json["rendered_schedule_entries"] = []
                json["rendered_coverage_percentage"] = .null
            }
            layers.append(.object(json))
        }
        let policies = account.escalationPolicyOrder.compactMap { account.escalationPolicies[$0] }
            .filter { $0.rules.contains { $0.targets.contains { $0.kind == .schedule && $0.id == schedule.id } } }
        let userIDs = Self.uniqueUsers(schedule)
        return [
            "id": .string(schedule.id), "type": "schedule", "summary": .string(schedule.name),
            "self": .string("\(base)/schedules/\(schedule.id)"), "html_url": .string("\(web)/schedules/\(schedule.id)"),
            "name": .string(schedule.name), "description": .optional(schedule.description), "time_zone": .string(schedule.timeZone),
            "schedule_layers": .array(layers),
            "final_schedule": ["name": "Final Schedule", "rendered_schedule_entries": entries(final, account: account, zone: zone), "rendered_coverage_percentage": coverage],
            "overrides_subschedule": ["name": "Overrides", "rendered_schedule_entries": entries(overrides, account: account, zone: zone), "rendered_coverage_percentage": window == nil ? .null : .double(Self.coverage(overrides, since: window!.since, until: window!.until))],
            "escalation_policies": .array(policies.map { reference("escalation_policy", $0.id, summary: $0.name, path: "escalation_policies") }),
            "users": .array(userIDs.map { userReference(account.users[$0], id: $0) }),
            "teams": .array(schedule.teamIDs.compactMap { account.teams[$0] }.map { reference("team", $0.id, summary: $0.name, path: "teams") }),
            "http_cal_url": .string("\(web)/private/\(schedule.id)/feed"),
            "web_cal_url": .string("webcal://shiftbridge-demo.pagerduty.com/private/\(schedule.id)/feed"),
        ]
    }

    /// The list form of a schedule: no layers or rendering, as `GET /schedules` returns.
    func scheduleSummary(_ schedule: ESchedule, account: Account) -> JSON {
        let policies = account.escalationPolicyOrder.compactMap { account.escalationPolicies[$0] }
            .filter { $0.rules.contains { $0.targets.contains { $0.kind == .schedule && $0.id == schedule.id } } }
        return [
            "id": .string(schedule.id), "type": "schedule", "summary": .string(schedule.name),
            "self": .string("\(base)/schedules/\(schedule.id)"), "html_url": .string("\(web)/schedules/\(schedule.id)"),
            "name": .string(schedule.name), "description": .optional(schedule.description), "time_zone": .string(schedule.timeZone),
            "escalation_policies": .array(policies.map { reference("escalation_policy", $0.id, summary: $0.name, path: "escalation_policies") }),
            "users": .array(Self.uniqueUsers(schedule).map { userReference(account.users[$0], id: $0) }),
            "teams": .array(schedule.teamIDs.compactMap { account.teams[$0] }.map { reference("team", $0.id, summary: $0.name, path: "teams") }),
        ]
    }

    static func uniqueUsers(_ schedule: ESchedule) -> [String] {
        var seen = Set<String>()
        return schedule.layers.flatMap(\.userIDs).filter { seen.insert($0).inserted }
    }

    static func coverage(_ entries: [ScheduleRenderer.Entry], since: Date, until: Date) -> Double {
        let total = until.timeIntervalSince(since)
        guard total > 0 else { return 0 }
        let covered = ScheduleRenderer.merge(entries.map { DateInterval(start: max($0.start, since), end: max(min($0.end, until), max($0.start, since))) })
            .reduce(0) { $0 + $1.duration }
        return (covered / total * 1000).rounded() / 10
    }

    func escalationPolicy(_ policy: EEscalationPolicy, account: Account) -> JSON {
        [
            "id": .string(policy.id), "type": "escalation_policy", "summary": .string(policy.name), "name": .string(policy.name),
            "description": .optional(policy.description), "num_loops": .int(policy.numLoops), "on_call_handoff_notifications": "if_has_services",
            "self": .string("\(base)/escalation_policies/\(policy.id)"), "html_url": .string("\(web)/escalation_policies/\(policy.id)"),
            "escalation_rules": .array(policy.rules.map { rule in
                ["id": .string(rule.id), "escalation_delay_in_minutes": .int(rule.delayMinutes),
                 "targets": .array(rule.targets.map { target in
                    target.kind == .user
                        ? userReference(account.users[target.id], id: target.id)
                        : reference("schedule", target.id, summary: account.schedules[target.id]?.name ?? "Deleted", path: "schedules")
                 })]
            }),
            "services": .array(account.services.values.filter { $0.escalationPolicyID == policy.id }.map { reference("service", $0.id, summary: $0.name, path: "services") }),
            "teams": .array(policy.teamIDs.compactMap { account.teams[$0] }.map { reference("team", $0.id, summary: $0.name, path: "teams") }),
        ]
    }

    func incident(_ incident: EIncident, account: Account) -> JSON {
        [
            "id": .string(incident.id), "type": "incident", "summary": .string("[#\(incident.number)] \(incident.title)"),
            "incident_number": .int(incident.number), "title": .string(incident.title), "status": .string(incident.status),
            "urgency": .string(incident.urgency), "created_at": .date(incident.createdAt), "resolved_at": .date(incident.resolvedAt),
            "self": .string("\(base)/incidents/\(incident.id)"), "html_url": .string("\(web)/incidents/\(incident.id)"),
            "service": incident.serviceID.flatMap { account.services[$0] }.map { reference("service", $0.id, summary: $0.name, path: "services") } ?? .null,
            "escalation_policy": incident.escalationPolicyID.flatMap { account.escalationPolicies[$0] }.map { reference("escalation_policy", $0.id, summary: $0.name, path: "escalation_policies") } ?? .null,
            "assignments": .array(incident.assigneeIDs.map { ["at": .date(incident.createdAt), "assignee": userReference(account.users[$0], id: $0)] }),
            "incident_key": .string(incident.id.lowercased()),
        ]
    }

    func license(_ license: ELicense, account: Account) -> JSON {
        let used = account.users.values.filter { $0.licenseID == license.id }.count
        return [
            "id": .string(license.id), "type": "license", "summary": .string(license.name), "name": .string(license.name),
            "description": .string(license.name), "role_group": "FullUser", "current_value": .int(used),
            "allocations_available": .int(max(0, license.allocationsAvailable - used)),
            "valid_roles": .array(license.validRoles.map(JSON.string)),
            "self": .string("\(base)/licenses/\(license.id)"), "html_url": .null,
        ]
    }
}
