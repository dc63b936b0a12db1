import EmulatorSupport
import Foundation
import Vapor

extension RoutesBuilder {
    /// Registers a PagerDuty REST operation with the scope the spec requires for it.
    @discardableResult
    func pd(_ method: HTTPMethod, _ path: PathComponent..., scope: String?, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        let route = on(method, path, use: handler)
        if let scope { route.userInfo["pd.scope"] = scope }
        return route
    }
}

/// Shared pieces of REST handling.
struct REST: Sendable {
    let state: EmulatorState

    func renderer(_ req: Request) -> Renderer {
        Renderer(base: "http://\(req.headers.first(name: .host) ?? "127.0.0.1")")
    }

    /// The JSON body, or PagerDuty's 400 when there is none.
    func body(_ req: Request) throws -> JSON {
        guard let buffer = req.body.data, let json = JSON.parse(Data(buffer.readableBytesView)) else {
            throw PDError(status: .badRequest, code: 2001, message: "Invalid Input Provided", errors: ["The request body must be a JSON object."])
        }
        return json
    }

    /// Classic offset pagination with PagerDuty's rules: default 25, at most 100, and
    /// offset+limit within 10,000.
    func page(_ count: Int, _ query: PDQuery) throws -> (range: Range<Int>, fields: [String: JSON]) {
        let limit = min(max(try query.int("limit") ?? 25, 1), 100)
        let offset = try query.int("offset") ?? 0
        guard offset >= 0 else { throw PDError.invalid(["Offset must be a non-negative integer"]) }
        guard offset + limit <= 10_000 else {
            throw PDError(status: .badRequest, code: 2002, message: "Arguments Caused Error",
                          errors: ["Offset+limit exceeds maximum allowed value of 10000"])
        }
        let range = min(offset, count)..<min(offset + limit, count)
        return (range, ["limit": .int(limit), "offset": .int(offset), "more": .bool(range.upperBound < count),
                        "total": query.bool("total") ? .int(count) : .null])
    }

    func list(_ key: String, _ items: [JSON], _ query: PDQuery) throws -> Response {
        let (range, fields) = try page(items.count, query)
        var body = fields
        body[key] = .array(Array(items[range]))
        return .pd(.ok, .object(body))
    }

    func actor(_ req: Request) -> (label: String, method: String) {
        switch req.caller.kind {
        case .apiKey: (req.caller.label, "api_token")
        case .oauth: (req.caller.label, "oauth")
        }
    }

    /// Appends an audit record, as PagerDuty writes for every change to a root resource.
    func audit(_ storage: inout EmulatorState.Storage, _ req: Request, action: String, type: String, id: String, summary: String,
               fields: [(name: String, before: String?, after: String?)] = []) {
        let (label, method) = actor(req)
        let record = EAuditRecord(id: storage.account.makeID("R"), executionTime: storage.clock.now(), action: action,
                                  rootType: type, rootID: id, rootSummary: summary, actor: label, methodType: method, fields: fields)
        storage.account.auditRecords.append(record)
    }
}

// MARK: - Users

extension REST {
    static let roles = ["admin", "limited_user", "observer", "owner", "read_only_user", "read_only_limited_user", "restricted_access", "user"]

    func registerUsers(_ routes: any RoutesBuilder) {
        routes.pd(.GET, "users", scope: "users.read") { req in
            let query = req.pdQuery
            let include = Set(query.all("include"))
            let text = query["query"]?.lowercased() ?? ""
            let teamIDs = Set(query.all("team_ids"))
            let renderer = renderer(req)
            return try state.withStorage { storage in
                let account = storage.account
                let users = account.userOrder.compactMap { account.users[$0] }.filter { user in
                    (text.isEmpty || user.name.lowercased().contains(text) || user.email.lowercased().contains(text))
                        && (teamIDs.isEmpty || teamIDs.contains { account.teams[$0]?.members.contains { $0.userID == user.id } ?? false })
                }
                let (range, fields) = try page(users.count, query)
                var body = fields
                body["users"] = .array(users[range].map { renderer.user($0, account: account, include: include) })
                return .pd(.ok, .object(body))
            }
        }

        routes.pd(.GET, "users", "me", scope: nil) { req in
            guard let userID = req.caller.userID else {
                throw PDError(status: .badRequest, code: 2001, message: "Invalid Input Provided",
                              errors: ["Because this request was made using an account-level access token, we were unable to resolve the current user."])
            }
            let renderer = renderer(req)
            let include = Set(req.pdQuery.all("include"))
            return try state.withStorage { storage in
                guard let user = storage.account.users[userID] else { throw PDError.notFound() }
                return .pd(.ok, ["user": renderer.user(user, account: storage.account, include: include)])
            }
        }

        routes.pd(.GET, "users", ":id", scope: "users.read") { req in
            let id = req.parameters.get("id")!
            let renderer = renderer(req)
            let include = Set(req.pdQuery.all("include"))
            return try state.withStorage { storage in
                guard let user = storage.account.users[id] else { throw PDError.notFound() }
                return .pd(.ok, ["user": renderer.user(user, account: storage.account, include: include)])
            }
        }

        routes.pd(.GET, "users", ":id", "license", scope: "licenses.read") { req in
            let id = req.parameters.get("id")!
            let renderer = renderer(req)
            return try state.withStorage { storage in
                guard let user = storage.account.users[id] else { throw PDError.notFound() }
                guard let license = user.licenseID.flatMap({ id in storage.account.licenses.first { $0.id == id } }) else {
                    throw PDError.notFound("License not found")
                }
                return .pd(.ok, ["license": renderer.license(license, account: storage.account)])
            }
        }

        routes.pd(.POST, "users", scope: "users.write") { req in
            let body = try body(req)
            guard let input = body["user"] else { throw PDError.invalid(["User must be provided"]) }
            let from = req.headers.first(name: "From")?.lowercased()
            let renderer = renderer(req)
            return try state.withStorage { storage in
                if req.caller.userID == nil {
                    guard let from, storage.account.users.values.contains(where: { $0.email.lowercased() == from }) else {
                        throw PDError(status: .badRequest, code: 2001, message: "Invalid Input Provided",
                                      errors: ["The From header is required and must be the email address of a valid user in this account."])
                    }
                }
                var errors: [String] = []
                let name = input["name"]?.string ?? ""
                let email = input["email"]?.string ?? ""
                if input["type"]?.string != "user" { errors.append("Type must be user") }
                if name.trimmingCharacters(in: .whitespaces).isEmpty { errors.append("Name can't be blank") }
                if name.count > 100 { errors.append("Name is too long (maximum is 100 characters)") }
                if !Self.validEmail(email) { errors.append("Email is invalid") }
                if storage.account.users.values.contains(where: { $0.email.lowercased() == email.lowercased() }) {
                    errors.append("Email has already been taken")
                }
                let role = input["role"]?.string ?? "user"
                if !Self.roles.contains(role) { errors.append("Role is not included in the list") }
                if role == "owner" { errors.append("Role cannot be set to owner") }
                let timeZone = input["time_zone"]?.string ?? "Etc/UTC"
                if TimeZone(identifier: timeZone) == nil { errors.append("Time zone is not a valid time zone") }
                let licenseID = input["license"]?["id"]?.string
                if let licenseID, !storage.account.licenses.contains(where: { $0.id == licenseID }) { errors.append("License not found") }
                guard errors.isEmpty else { throw PDError.invalid(errors) }
                var user = EUser(id: storage.account.makeID("U"), name: name, email: email, role: role, timeZone: timeZone,
                                 jobTitle: input["job_title"]?.string, description: input["description"]?.string,
                                 color: input["color"]?.string ?? "purple", licenseID: licenseID ?? storage.account.licenses.first?.id,
                                 createdAt: storage.clock.now(), contactMethodID: "", notificationRuleID: "")
                user.contactMethodID = storage.account.makeID("C")
                user.notificationRuleID = storage.account.makeID("N")
                storage.account.users[user.id] = user
                storage.account.userOrder.append(user.id)
                audit(&storage, req, action: "create", type: "users", id: user.id, summary: user.name,
                      fields: [("name", nil, user.name), ("email", nil, user.email), ("role", nil, user.role)])
                return .pd(.created, ["user": renderer.user(user, account: storage.account)])
            }
        }

        routes.pd(.PUT, "users", ":id", scope: "users.write") { req in
            let id = req.parameters.get("id")!
            let body = try body(req)
            guard let input = body["user"] else { throw PDError.invalid(["User must be provided"]) }
            let renderer = renderer(req)
            return try state.withStorage { storage in
                guard var user = storage.account.users[id] else { throw PDError.notFound() }
                let before = user
                var errors: [String] = []
                if let name = input["name"]?.string {
                    if name.isEmpty || name.count > 100 { errors.append("Name is invalid") } else { user.name = name }
                }
                if let email = input["email"]?.string, email.lowercased() != user.email.lowercased() {
                    if !Self.validEmail(email) { errors.append("Email is invalid") }
                    else if storage.account.users.values.contains(where: { $0.email.lowercased() == email.lowercased() }) { errors.append("Email has already been taken") }
                    else { user.email = email }
                } else if let email = input["email"]?.string { user.email = email }
                if let role = input["role"]?.string {
                    if !Self.roles.contains(role) { errors.append("Role is not included in the list") }
                    else if role == "owner" || (before.role == "owner" && role != "owner") { errors.append("The account owner's role cannot be changed through the API") }
                    else { user.role = role }
                }
                if let zone = input["time_zone"]?.string {
                    if TimeZone(identifier: zone) == nil { errors.append("Time zone is not a valid time zone") } else { user.timeZone = zone }
                }
                if let title = input["job_title"] { user.jobTitle = title.string }
                if let description = input["description"] { user.description = description.string }
                if let color = input["color"]?.string { user.color = color }
                if let licenseID = input["license"]?["id"]?.string {
                    if storage.account.licenses.contains(where: { $0.id == licenseID }) { user.licenseID = licenseID } else { errors.append("License not found") }
                }
                guard errors.isEmpty else { throw PDError.invalid(errors) }
                storage.account.users[id] = user
                let changes: [(String, String?, String?)] = [
                    ("name", before.name, user.name), ("email", before.email, user.email), ("role", before.role, user.role),
                    ("time_zone", before.timeZone, user.timeZone), ("job_title", before.jobTitle, user.jobTitle),
                    ("description", before.description, user.description),
                ].filter { $0.1 != $0.2 }
                if !changes.isEmpty {
                    audit(&storage, req, action: "update", type: "users", id: id, summary: user.name, fields: changes.map { (name: $0.0, before: $0.1, after: $0.2) })
                }
                return .pd(.ok, ["user": renderer.user(user, account: storage.account)])
            }
        }

        routes.pd(.DELETE, "users", ":id", scope: "users.write") { req in
            let id = req.parameters.get("id")!
            return try state.withStorage { storage in
                guard let user = storage.account.users[id] else { throw PDError.notFound() }
                let blockers = Self.deletionBlockers(of: id, in: storage.account)
                if user.role == "owner" { throw PDError.invalid(["The account owner cannot be deleted."]) }
                guard blockers.isEmpty else { throw PDError.invalid(blockers) }
                storage.account.users[id] = nil
                storage.account.userOrder.removeAll { $0 == id }
                for teamID in storage.account.teamOrder {
                    storage.account.teams[teamID]?.members.removeAll { $0.userID == id }
                }
                audit(&storage, req, action: "delete", type: "users", id: id, summary: user.name)
                return Response(status: .noContent)
            }
        }
    }

    static func validEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return (6...100).contains(email.count) && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !email.contains(" ")
    }

    /// Why PagerDuty would refuse to delete a user now: open incidents, schedule layers,
    /// escalation policies that name them directly.
    static func deletionBlockers(of userID: String, in account: Account) -> [String] {
        var blockers: [String] = []
        let open = account.incidents.values.filter { $0.status != "resolved" && $0.assigneeIDs.contains(userID) }
        if !open.isEmpty {
            blockers.append("User cannot be deleted as they have \(open.count) open incident(s) assigned: \(open.map { "#\($0.number)" }.sorted().joined(separator: ", ")).")
        }
        let schedules = account.scheduleOrder.compactMap { account.schedules[$0] }.filter { $0.layers.contains { $0.userIDs.contains(userID) } }
        if !schedules.isEmpty {
            blockers.append("User cannot be deleted as they belong to schedule(s): \(schedules.map(\.name).joined(separator: ", ")).")
        }
        let policies = account.escalationPolicyOrder.compactMap { account.escalationPolicies[$0] }
            .filter { $0.rules.contains { $0.targets.contains { $0.kind == .user && $0.id == userID } } }
        if !policies.isEmpty {
            blockers.append("User cannot be deleted as they are a target of escalation policy(ies): \(policies.map(\.name).joined(separator: ", ")).")
        }
        return blockers
    }
}
