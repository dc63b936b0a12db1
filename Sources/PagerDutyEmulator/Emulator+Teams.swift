import EmulatorSupport
import Foundation
import Vapor

extension REST {
    static let teamRoles = ["observer", "responder", "manager"]

    func registerTeams(_ routes: any RoutesBuilder) {
        routes.pd(.GET, "teams", scope: "teams.read") { req in
            let query = req.pdQuery
            let text = query["query"]?.lowercased() ?? ""
            let renderer = renderer(req)
            let teams = state.withStorage { storage in
                storage.account.teamOrder.compactMap { storage.account.teams[$0] }
                    .filter { text.isEmpty || $0.name.lowercased().contains(text) }
            }
            return try list("teams", teams.map(renderer.team), query)
        }

        routes.pd(.GET, "teams", ":id", scope: "teams.read") { req in
            let id = req.parameters.get("id")!
            let renderer = renderer(req)
            return try state.withStorage { storage in
                guard let team = storage.account.teams[id] else { throw Self.teamNotFound }
                return .pd(.ok, ["team": renderer.team(team)])
            }
        }

        routes.pd(.POST, "teams", scope: "teams.write") { req in
            let body = try body(req)
            guard let input = body["team"], let name = input["name"]?.string, !name.isEmpty else {
                throw PDError.invalid(["Name can't be blank"])
            }
            let renderer = renderer(req)
            return try state.withStorage { storage in
                if storage.account.teams.values.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                    throw PDError.invalid(["Name has already been taken"])
                }
                let team = ETeam(id: storage.account.makeID("T"), name: name, description: input["description"]?.string)
                storage.account.teams[team.id] = team
                storage.account.teamOrder.append(team.id)
                audit(&storage, req, action: "create", type: "teams", id: team.id, summary: team.name)
                return .pd(.created, ["team": renderer.team(team)])
            }
        }

        routes.pd(.GET, "teams", ":id", "members", scope: "teams.read") { req in
            let id = req.parameters.get("id")!
            let renderer = renderer(req)
            let items: [JSON] = try state.withStorage { storage in
                guard let team = storage.account.teams[id] else { throw Self.teamNotFound }
                return team.members.map { ["user": renderer.userReference(storage.account.users[$0.userID], id: $0.userID), "role": .string($0.role)] }
            }
            return try list("members", items, req.pdQuery)
        }

        routes.pd(.PUT, "teams", ":id", "users", ":user_id", scope: "teams.write") { req in
            let id = req.parameters.get("id")!
            let userID = req.parameters.get("user_id")!
            let role = (req.body.data.flatMap { JSON.parse(Data($0.readableBytesView)) })?["role"]?.string ?? "manager"
            guard Self.teamRoles.contains(role) else { throw PDError.invalid(["Role must be one of observer, responder, manager"]) }
            return try state.withStorage { storage in
                guard var team = storage.account.teams[id] else { throw Self.teamNotFound }
                guard let user = storage.account.users[userID] else { throw PDError.notFound("User Not Found") }
                let before = team.members.first { $0.userID == userID }?.role
                if let index = team.members.firstIndex(where: { $0.userID == userID }) {
                    team.members[index].role = role
                } else {
                    team.members.append((userID, role))
                }
                storage.account.teams[id] = team
                if before != role {
                    audit(&storage, req, action: "update", type: "teams", id: id, summary: team.name,
                          fields: [("member:\(user.id)", before, role)])
                }
                return Response(status: .noContent)
            }
        }

        routes.pd(.DELETE, "teams", ":id", "users", ":user_id", scope: "teams.write") { req in
            let id = req.parameters.get("id")!
            let userID = req.parameters.get("user_id")!
            return try state.withStorage { storage in
                guard var team = storage.account.teams[id] else { throw Self.teamNotFound }
                guard storage.account.users[userID] != nil else { throw PDError.notFound("User Not Found") }
                let onPolicy = storage.account.escalationPolicies.values.contains { policy in
                    policy.teamIDs.contains(id) && policy.rules.contains { $0.targets.contains { $0.kind == .user && $0.id == userID } }
                }
                if onPolicy {
                    throw PDError.invalid(["User cannot be removed from the team while they are on an escalation policy of that team."])
                }
                let before = team.members.first { $0.userID == userID }?.role
                team.members.removeAll { $0.userID == userID }
                storage.account.teams[id] = team
                if before != nil {
                    audit(&storage, req, action: "update", type: "teams", id: id, summary: team.name, fields: [("member:\(userID)", before, nil)])
                }
                return Response(status: .noContent)
            }
        }
    }

    static let teamNotFound = PDError(status: .notFound, code: 6001, message: "Team not found")
}

// MARK: - Escalation policies, incidents, licenses, abilities, audit records

extension REST {
    func registerPolicies(_ routes: any RoutesBuilder) {
        routes.pd(.GET, "escalation_policies", scope: "escalation_policies.read") { req in
            let query = req.pdQuery
            let text = query["query"]?.lowercased() ?? ""
            let userIDs = Set(query.all("user_ids"))
            let teamIDs = Set(query.all("team_ids"))
            let renderer = renderer(req)
            let items: [JSON] = state.withStorage { storage in
                let account = storage.account
                return account.escalationPolicyOrder.compactMap { account.escalationPolicies[$0] }.filter { policy in
                    (text.isEmpty || policy.name.lowercased().contains(text))
                        && (teamIDs.isEmpty || !teamIDs.isDisjoint(with: policy.teamIDs))
                        && (userIDs.isEmpty || policy.rules.contains { rule in rule.targets.contains { target in
                            target.kind == .user ? userIDs.contains(target.id)
                                : (account.schedules[target.id]?.layers.contains { !userIDs.isDisjoint(with: $0.userIDs) } ?? false)
                        } })
                }.map { renderer.escalationPolicy($0, account: account) }
            }
            return try list("escalation_policies", items, query)
        }

        routes.pd(.GET, "escalation_policies", ":id", scope: "escalation_policies.read") { req in
            let id = req.parameters.get("id")!
            let renderer = renderer(req)
            return try state.withStorage { storage in
                guard let policy = storage.account.escalationPolicies[id] else { throw PDError.notFound("Escalation Policy Not Found") }
                return .pd(.ok, ["escalation_policy": renderer.escalationPolicy(policy, account: storage.account)])
            }
        }

        routes.pd(.POST, "escalation_policies", scope: "escalation_policies.write") { req in
            let body = try body(req)
            guard let input = body["escalation_policy"], let name = input["name"]?.string, !name.isEmpty else {
                throw PDError.invalid(["Name can't be blank"])
            }
            let renderer = renderer(req)
            return try state.withStorage { storage in
                var rules: [EEscalationPolicy.Rule] = []
                for rule in input["escalation_rules"]?.array ?? [] {
                    var targets: [EEscalationPolicy.Target] = []
                    for target in rule["targets"]?.array ?? [] {
                        guard let id = target["id"]?.string else { throw PDError.invalid(["Escalation rule target id missing"]) }
                        let type = target["type"]?.string ?? ""
                        if type.hasPrefix("user"), storage.account.users[id] != nil { targets.append(.init(kind: .user, id: id)) }
                        else if type.hasPrefix("schedule"), storage.account.schedules[id] != nil { targets.append(.init(kind: .schedule, id: id)) }
                        else { throw PDError.invalid(["Escalation rule target \(id) not found"]) }
                    }
                    rules.append(.init(id: storage.account.makeID("E"), delayMinutes: rule["escalation_delay_in_minutes"]?.int ?? 30, targets: targets))
                }
                guard !rules.isEmpty else { throw PDError.invalid(["Escalation rules can't be blank"]) }
                let policy = EEscalationPolicy(id: storage.account.makeID("P"), name: name, description: input["description"]?.string,
                                               rules: rules, teamIDs: (input["teams"]?.array ?? []).compactMap { $0["id"]?.string })
                storage.account.escalationPolicies[policy.id] = policy
                storage.account.escalationPolicyOrder.append(policy.id)
                audit(&storage, req, action: "create", type: "escalation_policies", id: policy.id, summary: policy.name)
                return .pd(.created, ["escalation_policy": renderer.escalationPolicy(policy, account: storage.account)])
            }
        }

        routes.pd(.GET, "incidents", scope: "incidents.read") { req in
            let query = req.pdQuery
            let statuses = Set(query.all("statuses"))
            let userIDs = Set(query.all("user_ids"))
            let renderer = renderer(req)
            let items: [JSON] = state.withStorage { storage in
                let account = storage.account
                return account.incidentOrder.compactMap { account.incidents[$0] }.filter { incident in
                    (statuses.isEmpty ? incident.status != "resolved" : statuses.contains(incident.status))
                        && (userIDs.isEmpty || !userIDs.isDisjoint(with: incident.assigneeIDs))
                }.map { renderer.incident($0, account: account) }
            }
            return try list("incidents", items, query)
        }

        routes.pd(.POST, "incidents", scope: "incidents.write") { req in
            let body = try body(req)
            guard let input = body["incident"], let title = input["title"]?.string, !title.isEmpty else {
                throw PDError.invalid(["Title can't be blank"])
            }
            let renderer = renderer(req)
            return try state.withStorage { storage in
                if req.caller.userID == nil {
                    let from = req.headers.first(name: "From")?.lowercased() ?? ""
                    guard storage.account.users.values.contains(where: { $0.email.lowercased() == from }) else {
                        throw PDError.invalid(["The From header is required and must be the email address of a valid user in this account."])
                    }
                }
                let serviceID = input["service"]?["id"]?.string
                guard let serviceID, let service = storage.account.services[serviceID] else { throw PDError.invalid(["Service not found"]) }
                var assignees = (input["assignments"]?.array ?? []).compactMap { $0["assignee"]?["id"]?.string }
                for id in assignees where storage.account.users[id] == nil { throw PDError.invalid(["Assignee \(id) not found"]) }
                if assignees.isEmpty {
                    // Assigned to whoever the service's escalation policy has on call at its first level.
                    let now = storage.clock.now()
                    assignees = OnCalls.compute(account: storage.account, since: now, until: now, policyFilter: [service.escalationPolicyID])
                        .filter { $0.level == 1 }.map(\.userID)
                }
                let incident = EIncident(id: storage.account.makeID("I"), number: storage.account.nextIncidentNumber, title: title,
                                         status: "triggered", urgency: input["urgency"]?.string ?? "high", serviceID: serviceID,
                                         escalationPolicyID: service.escalationPolicyID, assigneeIDs: assignees, createdAt: storage.clock.now())
                storage.account.nextIncidentNumber += 1
                storage.account.incidents[incident.id] = incident
                storage.account.incidentOrder.append(incident.id)
                return .pd(.created, ["incident": renderer.incident(incident, account: storage.account)])
            }
        }

        routes.pd(.PUT, "incidents", ":id", scope: "incidents.write") { req in
            let id = req.parameters.get("id")!
            let body = try body(req)
            let renderer = renderer(req)
            return try state.withStorage { storage in
                guard var incident = storage.account.incidents[id] else { throw PDError.notFound("Incident Not Found") }
                if let status = body["incident"]?["status"]?.string {
                    guard ["acknowledged", "resolved"].contains(status) else { throw PDError.invalid(["Status must be acknowledged or resolved"]) }
                    incident.status = status
                    if status == "resolved" { incident.resolvedAt = storage.clock.now() }
                }
                storage.account.incidents[id] = incident
                return .pd(.ok, ["incident": renderer.incident(incident, account: storage.account)])
            }
        }

        routes.pd(.GET, "licenses", scope: "licenses.read") { req in
            let renderer = renderer(req)
            return state.withStorage { storage in
                .pd(.ok, ["licenses": .array(storage.account.licenses.map { renderer.license($0, account: storage.account) })])
            }
        }

        routes.pd(.GET, "abilities", scope: "abilities.read") { _ in
            state.withStorage { storage in .pd(.ok, ["abilities": .array(storage.account.abilities.map(JSON.string))]) }
        }

        routes.pd(.GET, "audit", "records", scope: "audit_records.read") { req in
            let query = req.pdQuery
            let limit = min(max(try query.int("limit") ?? 100, 1), 1000)
            let since = try query.date("since")
            let until = try query.date("until")
            let types = Set(query.all("root_resource_types"))
            let renderer = renderer(req)
            var start = 0
            if let cursor = query["cursor"], !cursor.isEmpty {
                guard let data = Data(base64Encoded: cursor), let offset = Int(String(decoding: data, as: UTF8.self)), offset >= 0 else {
                    throw PDError.invalid(["Cursor is invalid"])
                }
                start = offset
            }
            return try state.withStorage { storage in
                // Audit records are a plan feature: accounts without it get 402.
                guard storage.account.abilities.contains("audit_records") else {
                    throw PDError(status: .paymentRequired, code: 2012, message: "Payment Required",
                                  errors: ["Your account's plan does not include audit records."])
                }
                let now = storage.clock.now()
                // PagerDuty's default window: the last 24 hours when no `since` is given.
                let from = since ?? until?.addingTimeInterval(-86_400) ?? now.addingTimeInterval(-86_400)
                let matching = storage.account.auditRecords.reversed().filter { record in
                    record.executionTime >= from && (until.map { record.executionTime < $0 } ?? true)
                        && (types.isEmpty || types.contains(record.rootType))
                }
                let slice = matching.dropFirst(start).prefix(limit)
                let next = start + slice.count < matching.count ? Data(String(start + slice.count).utf8).base64EncodedString() : nil
                return .pd(.ok, [
                    "records": .array(slice.map { renderer.auditRecord($0) }),
                    "limit": .int(limit), "next_cursor": .optional(next),
                ])
            }
        }
    }
}

extension Renderer {
    func auditRecord(_ record: EAuditRecord) -> JSON {
        let singular = String(record.rootType.dropLast(record.rootType.hasSuffix("ies") ? 3 : 1)) + (record.rootType.hasSuffix("ies") ? "y" : "")
        return [
            "id": .string(record.id), "self": .null,
            "execution_time": .string(PDTime.format(record.executionTime)),
            "execution_context": ["request_id": .null, "remote_address": "127.0.0.1"],
            "actors": [["id": .string(record.actor), "type": "api_key_reference", "summary": .string(record.actor)]],
            "method": ["type": .string(record.methodType), "description": .null, "truncated_token": .string(String(record.actor.suffix(4)))],
            "root_resource": ["id": .string(record.rootID), "type": .string("\(singular)_reference"), "summary": .string(record.rootSummary),
                              "self": .string("\(base)/\(record.rootType)/\(record.rootID)"), "html_url": .null],
            "action": .string(record.action),
            "details": ["resource": ["id": .string(record.rootID), "type": .string("\(singular)_reference"), "summary": .string(record.rootSummary)],
                        "fields": .array(record.fields.map { ["name": .string($0.name), "before_value": .optional($0.before), "value": .optional($0.after)] }),
                        "references": []],
        ]
    }
}
