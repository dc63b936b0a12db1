import EmulatorSupport
import Foundation
import Vapor

extension REST {
    static let scheduleNotFound = PDError(status: .notFound, code: 3004, message: "Schedule Not Found")

    func registerSchedules(_ routes: any RoutesBuilder) {
        routes.pd(.GET, "schedules", scope: "schedules.read") { req in
            let query = req.pdQuery
            let text = query["query"]?.lowercased() ?? ""
            let renderer = renderer(req)
            let items: [JSON] = state.withStorage { storage in
                let account = storage.account
                return account.scheduleOrder.compactMap { account.schedules[$0] }
                    .filter { text.isEmpty || $0.name.lowercased().contains(text) }
                    .map { renderer.scheduleSummary($0, account: account) }
            }
            return try list("schedules", items, query)
        }

        routes.pd(.GET, "schedules", ":id", scope: "schedules.read") { req in
            let id = req.parameters.get("id")!
            let query = req.pdQuery
            let renderer = renderer(req)
            let since = try query.date("since")
            let until = try query.date("until")
            let overflow = query.bool("overflow")
            let zoneName = query["time_zone"]
            if let zoneName, TimeZone(identifier: zoneName) == nil { throw PDError.invalid(["Time zone is not valid"]) }
            return try state.withStorage { storage in
                guard let schedule = storage.account.schedules[id] else { throw Self.scheduleNotFound }
                var window: Renderer.Window?
                if since != nil || until != nil {
                    // With one bound given, PagerDuty renders two weeks from it.
                    let from = since ?? until!.addingTimeInterval(-14 * 86_400)
                    let to = until ?? from.addingTimeInterval(14 * 86_400)
                    guard from < to else { throw PDError.invalid(["since must be before until"]) }
                    window = .init(since: from, until: to, zone: zoneName.flatMap(TimeZone.init(identifier:)) ?? schedule.zone, overflow: overflow)
                }
                return .pd(.ok, ["schedule": renderer.schedule(schedule, account: storage.account, window: window)])
            }
        }

        routes.pd(.POST, "schedules", scope: "schedules.write") { req in
            let body = try body(req)
            guard let input = body["schedule"] else { throw PDError.invalid(["Schedule must be provided"]) }
            let renderer = renderer(req)
            return try state.withStorage { storage in
                let schedule = try Self.buildSchedule(input, existing: nil, storage: &storage)
                storage.account.schedules[schedule.id] = schedule
                storage.account.scheduleOrder.append(schedule.id)
                audit(&storage, req, action: "create", type: "schedules", id: schedule.id, summary: schedule.name)
                return .pd(.created, ["schedule": renderer.schedule(schedule, account: storage.account, window: nil)])
            }
        }

        routes.pd(.PUT, "schedules", ":id", scope: "schedules.write") { req in
            let id = req.parameters.get("id")!
            let body = try body(req)
            guard let input = body["schedule"] else { throw PDError.invalid(["Schedule must be provided"]) }
            let renderer = renderer(req)
            return try state.withStorage { storage in
                guard let existing = storage.account.schedules[id] else { throw Self.scheduleNotFound }
                let schedule = try Self.buildSchedule(input, existing: existing, storage: &storage)
                storage.account.schedules[id] = schedule
                audit(&storage, req, action: "update", type: "schedules", id: id, summary: schedule.name,
                      fields: [("schedule_layers", "\(existing.layers.count) layer(s)", "\(schedule.layers.count) layer(s)")])
                return .pd(.ok, ["schedule": renderer.schedule(schedule, account: storage.account, window: nil)])
            }
        }

        routes.pd(.DELETE, "schedules", ":id", scope: "schedules.write") { req in
            let id = req.parameters.get("id")!
            return try state.withStorage { storage in
                guard let schedule = storage.account.schedules[id] else { throw Self.scheduleNotFound }
                let policies = storage.account.escalationPolicies.values.filter { $0.rules.contains { $0.targets.contains { $0.kind == .schedule && $0.id == id } } }
                guard policies.isEmpty else {
                    throw PDError.invalid(["Schedule cannot be deleted while escalation policies use it: \(policies.map(\.name).sorted().joined(separator: ", "))"])
                }
                storage.account.schedules[id] = nil
                storage.account.scheduleOrder.removeAll { $0 == id }
                audit(&storage, req, action: "delete", type: "schedules", id: id, summary: schedule.name)
                return Response(status: .noContent)
            }
        }

        routes.pd(.GET, "schedules", ":id", "users", scope: "users.read") { req in
            let id = req.parameters.get("id")!
            let query = req.pdQuery
            let since = try query.date("since")
            let until = try query.date("until")
            let renderer = renderer(req)
            return try state.withStorage { storage in
                guard let schedule = storage.account.schedules[id] else { throw Self.scheduleNotFound }
                let now = storage.clock.now()
                let from = since ?? now
                let to = until ?? from.addingTimeInterval(14 * 86_400)
                let entries = ScheduleRenderer.finalEntries(layers: schedule.renderLayers, overrides: schedule.renderOverrides,
                                                            timeZone: schedule.zone, since: from, until: max(to, from.addingTimeInterval(1)))
                var seen = Set<String>()
                let users = entries.map(\.userID).filter { seen.insert($0).inserted }.compactMap { storage.account.users[$0] }
                return .pd(.ok, ["users": .array(users.map { renderer.user($0, account: storage.account) })])
            }
        }

        routes.pd(.GET, "schedules", ":id", "overrides", scope: "schedules.read") { req in
            let id = req.parameters.get("id")!
            let query = req.pdQuery
            guard let since = try query.date("since"), let until = try query.date("until") else {
                throw PDError(status: .badRequest, code: 2003, message: "Missing Arguments", errors: ["since and until are required"])
            }
            let renderer = renderer(req)
            return try state.withStorage { storage in
                guard let schedule = storage.account.schedules[id] else { throw Self.scheduleNotFound }
                let overrides = schedule.overrides.filter { $0.start < until && $0.end > since }
                return .pd(.ok, ["overrides": .array(overrides.map { renderer.override($0, account: storage.account) })])
            }
        }

        routes.pd(.POST, "schedules", ":id", "overrides", scope: "schedules.write") { req in
            let id = req.parameters.get("id")!
            let body = try body(req)
            let renderer = renderer(req)
            return try state.withStorage { storage in
                guard var schedule = storage.account.schedules[id] else { throw Self.scheduleNotFound }
                func parse(_ input: JSON) throws -> EOverride {
                    guard let start = input["start"]?.string.flatMap(PDTime.parse), let end = input["end"]?.string.flatMap(PDTime.parse) else {
                        throw PDError.invalid(["Override start and end must be valid dates"])
                    }
                    guard start < end else { throw PDError.invalid(["Override end must be after its start"]) }
                    guard let userID = input["user"]?["id"]?.string, storage.account.users[userID] != nil else {
                        throw PDError.invalid(["Override user not found"])
                    }
                    return EOverride(id: storage.account.makeID("O"), start: start, end: end, userID: userID)
                }
                if let single = body["override"] {
                    let override = try parse(single)
                    schedule.overrides.append(override)
                    storage.account.schedules[id] = schedule
                    audit(&storage, req, action: "update", type: "schedules", id: id, summary: schedule.name,
                          fields: [("overrides", nil, "\(override.userID) \(PDTime.format(override.start))–\(PDTime.format(override.end))")])
                    return .pd(.created, ["override": renderer.override(override, account: storage.account)])
                }
                guard let many = body["overrides"]?.array else { throw PDError.invalid(["Override must be provided"]) }
                var results: [JSON] = []
                for input in many {
                    do {
                        let override = try parse(input)
                        schedule.overrides.append(override)
                        results.append(["status": 201, "override": renderer.override(override, account: storage.account)])
                    } catch let error as PDError {
                        results.append(["status": 400, "errors": .array(error.errors.map(JSON.string))])
                    }
                }
                storage.account.schedules[id] = schedule
                audit(&storage, req, action: "update", type: "schedules", id: id, summary: schedule.name, fields: [("overrides", nil, "\(many.count) override(s)")])
                return .pd(.created, .array(results))
            }
        }

        routes.pd(.DELETE, "schedules", ":id", "overrides", ":override_id", scope: "schedules.write") { req in
            let id = req.parameters.get("id")!
            let overrideID = req.parameters.get("override_id")!
            return try state.withStorage { storage in
                guard var schedule = storage.account.schedules[id] else { throw Self.scheduleNotFound }
                guard schedule.overrides.contains(where: { $0.id == overrideID }) else { throw PDError.notFound("Override Not Found") }
                schedule.overrides.removeAll { $0.id == overrideID }
                storage.account.schedules[id] = schedule
                audit(&storage, req, action: "update", type: "schedules", id: id, summary: schedule.name, fields: [("overrides", overrideID, nil)])
                return Response(status: .noContent)
            }
        }

        routes.pd(.GET, "oncalls", scope: "oncalls.read") { req in
            let query = req.pdQuery
            let renderer = renderer(req)
            let since = try query.date("since")
            let until = try query.date("until")
            let zone = query["time_zone"].flatMap(TimeZone.init(identifier:)) ?? .gmt
            let items: [JSON] = try state.withStorage { storage in
                let now = storage.clock.now()
                let from = since ?? now
                let to = until ?? (since == nil ? now : from)
                guard to >= from else { throw PDError.invalid(["until must not be before since"]) }
                guard to.timeIntervalSince(now) <= 90 * 86_400 else {
                    throw PDError.invalid(["The until parameter cannot be more than 90 days in the future."])
                }
                var rows = OnCalls.compute(account: storage.account, since: from, until: to,
                                           policyFilter: Set(query.all("escalation_policy_ids")),
                                           scheduleFilter: Set(query.all("schedule_ids")),
                                           userFilter: Set(query.all("user_ids")))
                if query.bool("earliest") {
                    var seen = Set<String>()
                    rows = rows.filter { seen.insert("\($0.userID)|\($0.policyID)|\($0.level)").inserted }
                }
                let account = storage.account
                return rows.map { row in
                    [
                        "escalation_policy": renderer.reference("escalation_policy", row.policyID, summary: account.escalationPolicies[row.policyID]?.name ?? "", path: "escalation_policies"),
                        "escalation_level": .int(row.level),
                        "schedule": row.scheduleID.map { renderer.reference("schedule", $0, summary: account.schedules[$0]?.name ?? "", path: "schedules") } ?? .null,
                        "user": renderer.userReference(account.users[row.userID], id: row.userID),
                        "start": .date(row.start, in: zone), "end": .date(row.end, in: zone),
                    ]
                }
            }
            return try list("oncalls", items, query)
        }
    }

    /// Parses a schedule body the way PagerDuty validates it.
    static func buildSchedule(_ input: JSON, existing: ESchedule?, storage: inout EmulatorState.Storage) throws -> ESchedule {
        var errors: [String] = []
        let name = input["name"]?.string ?? existing?.name ?? ""
        if name.isEmpty { errors.append("Name can't be blank") }
        let timeZone = input["time_zone"]?.string ?? existing?.timeZone ?? ""
        if TimeZone(identifier: timeZone) == nil { errors.append("Time zone must be a valid time zone") }
        var layers: [ELayer] = existing?.layers ?? []
        if let layerInputs = input["schedule_layers"]?.array {
            if layerInputs.isEmpty { errors.append("Schedule must have at least one layer") }
            layers = []
            for (index, layer) in layerInputs.enumerated() {
                let start = layer["start"]?.string.flatMap(PDTime.parse)
                let rvs = layer["rotation_virtual_start"]?.string.flatMap(PDTime.parse)
                let turn = layer["rotation_turn_length_seconds"]?.int ?? 0
                let end = layer["end"]?.string.flatMap(PDTime.parse)
                if start == nil { errors.append("Layer \(index + 1): start must be a valid date") }
                if rvs == nil { errors.append("Layer \(index + 1): rotation_virtual_start must be a valid date") }
                if turn <= 0 || turn > 365 * 86_400 { errors.append("Layer \(index + 1): rotation_turn_length_seconds must be between 1 and one year") }
                if let start, let end, end <= start { errors.append("Layer \(index + 1): end must be after start") }
                let userIDs = (layer["users"]?.array ?? []).compactMap { $0["user"]?["id"]?.string }
                if userIDs.isEmpty { errors.append("Layer \(index + 1): users can't be blank") }
                for id in userIDs where storage.account.users[id] == nil { errors.append("Layer \(index + 1): user \(id) not found") }
                var restrictions: [ScheduleRenderer.Restriction] = []
                for restriction in layer["restrictions"]?.array ?? [] {
                    guard let kind = restriction["type"]?.string.flatMap(ScheduleRenderer.Restriction.Kind.init(rawValue:)),
                          let time = restriction["start_time_of_day"]?.string, let seconds = Self.secondsOfDay(time),
                          let duration = restriction["duration_seconds"]?.int, duration > 0
                    else { errors.append("Layer \(index + 1): restriction is invalid"); continue }
                    let day = restriction["start_day_of_week"]?.int
                    if kind == .weekly, !(1...7).contains(day ?? 0) { errors.append("Layer \(index + 1): start_day_of_week must be 1–7"); continue }
                    if duration > (kind == .daily ? 86_400 : 7 * 86_400) { errors.append("Layer \(index + 1): restriction is longer than its period"); continue }
                    restrictions.append(.init(kind: kind, startTimeOfDay: seconds, durationSeconds: duration, startDayOfWeek: kind == .weekly ? day : nil))
                }
                guard let start, let rvs, errors.isEmpty else { continue }
                let id = layer["id"]?.string.flatMap { id in existing?.layers.contains { $0.id == id } == true ? id : nil }
                layers.append(ELayer(id: id ?? storage.account.makeID("L"), name: layer["name"]?.string ?? "Layer \(index + 1)",
                                     start: start, end: end, rotationVirtualStart: rvs, turnLengthSeconds: turn, userIDs: userIDs,
                                     restrictions: restrictions, renderingIndex: layer["rendering_index"]?.int ?? index + 1))
            }
        } else if existing == nil {
            errors.append("Schedule layers can't be blank")
        }
        guard errors.isEmpty else { throw PDError.invalid(errors) }
        return ESchedule(id: existing?.id ?? storage.account.makeID("S"), name: name,
                         description: input["description"]?.string ?? existing?.description, timeZone: timeZone, layers: layers,
                         overrides: existing?.overrides ?? [],
                         teamIDs: (input["teams"]?.array).map { $0.compactMap { $0["id"]?.string } } ?? existing?.teamIDs ?? [])
    }

    static func secondsOfDay(_ text: String) -> Int? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count >= 2, parts.count <= 3, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) else { return nil }
        return parts[0] * 3600 + parts[1] * 60 + (parts.count == 3 ? parts[2] : 0)
    }
}

extension Renderer {
    func override(_ override: EOverride, account: Account) -> JSON {
        ["id": .string(override.id), "start": .date(override.start), "end": .date(override.end),
         "user": userReference(account.users[override.userID], id: override.userID)]
    }
}

/// `/oncalls`: who is on call through each escalation policy level, from schedules (their
/// final schedule) and users named directly (permanent, no start or end).
enum OnCalls {
    struct Row {
        let userID: String
        let policyID: String
        let level: Int
        let scheduleID: String?
        let start: Date?
        let end: Date?
    }

    static func compute(account: Account, since: Date, until: Date, policyFilter: Set<String> = [],
                        scheduleFilter: Set<String> = [], userFilter: Set<String> = []) -> [Row] {
        var rows: [Row] = []
        var rendered: [String: [ScheduleRenderer.Entry]] = [:]
        for policyID in account.escalationPolicyOrder where policyFilter.isEmpty || policyFilter.contains(policyID) {
            guard let policy = account.escalationPolicies[policyID] else { continue }
            for (index, rule) in policy.rules.enumerated() {
                for target in rule.targets {
                    switch target.kind {
                    case .user:
                        guard scheduleFilter.isEmpty, userFilter.isEmpty || userFilter.contains(target.id) else { continue }
                        rows.append(Row(userID: target.id, policyID: policyID, level: index + 1, scheduleID: nil, start: nil, end: nil))
                    case .schedule:
                        guard scheduleFilter.isEmpty || scheduleFilter.contains(target.id), let schedule = account.schedules[target.id] else { continue }
                        let entries = rendered[target.id] ?? {
                            // Whole shifts that overlap the window, not clipped to it.
                            let end = until > since ? until : since.addingTimeInterval(1)
                            let all = ScheduleRenderer.finalEntries(layers: schedule.renderLayers, overrides: schedule.renderOverrides,
                                                                    timeZone: schedule.zone, since: since, until: end, overflow: true)
                            return all.filter { $0.start <= since ? $0.end > since : $0.start < end }
                        }()
                        rendered[target.id] = entries
                        for entry in entries where userFilter.isEmpty || userFilter.contains(entry.userID) {
                            rows.append(Row(userID: entry.userID, policyID: policyID, level: index + 1, scheduleID: target.id, start: entry.start, end: entry.end))
                        }
                    }
                }
            }
        }
        return rows
    }
}
