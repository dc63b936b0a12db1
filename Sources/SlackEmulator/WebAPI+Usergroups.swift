import EmulatorSupport
import Foundation

extension WebAPI {
    static let usergroups: [WebMethod] = [
        WebMethod("usergroups.list", .tier2, scope: "usergroups:read") { storage, call throws(SlackError) in
            try requirePaidPlan(storage)
            let groups = storage.groupOrder.compactMap { storage.groups[$0] }
                .filter { $0.isEnabled || call.bool("include_disabled") }
                .map { $0.json(teamID: storage.teamID, includeUsers: call.bool("include_users")) }
            return ok(["usergroups": .array(groups)])
        },
        WebMethod("usergroups.create", .tier2, scope: "usergroups:write") { storage, call throws(SlackError) in
            try requirePaidPlan(storage)
            try requireEditor(storage, call)
            let name = try call.require("name")
            let handle = call["handle"] ?? name.lowercased().replacingOccurrences(of: " ", with: "-")
            guard !storage.groups.values.contains(where: { $0.name.lowercased() == name.lowercased() }) else { throw SlackError("name_already_exists") }
            let taken = storage.groups.values.contains { $0.handle.lowercased() == handle.lowercased() }
                || storage.users.values.contains { $0.name.lowercased() == handle.lowercased() }
                || storage.channels.values.contains { !$0.isIM && $0.name.lowercased() == handle.lowercased() }
            guard !taken else { throw SlackError("handle_already_exists") }
            let now = storage.nowSeconds
            let group = WorkspaceGroup(id: storage.makeID("S"), name: name, handle: handle, description: call["description"] ?? "",
                                       created: now, updated: now, createdBy: call.caller, updatedBy: call.caller)
            storage.groups[group.id] = group
            storage.groupOrder.append(group.id)
            return ok(["usergroup": group.json(teamID: storage.teamID, includeUsers: true)])
        },
        WebMethod("usergroups.users.list", .tier2, scope: "usergroups:read") { storage, call throws(SlackError) in
            try requirePaidPlan(storage)
            let group = try existingGroup(storage, call)
            guard group.isEnabled || call.bool("include_disabled") else { throw SlackError("no_such_subteam") }
            return ok(["users": .array(group.users.map(JSON.string))])
        },
        WebMethod("usergroups.users.update", .tier2, scope: "usergroups:write") { storage, call throws(SlackError) in
            try requirePaidPlan(storage)
            try requireEditor(storage, call)
            var group = try existingGroup(storage, call)
            var wanted: [String] = []
            for id in (call["users"] ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !id.isEmpty && !wanted.contains(id) {
                wanted.append(id)
            }
            guard !wanted.isEmpty else { throw SlackError("no_users_provided") }
            guard wanted.allSatisfy({ storage.users[$0]?.canJoinGroups ?? false }) else { throw SlackError("invalid_users") }
            group.users = wanted
            group.updated = storage.nowSeconds
            group.updatedBy = call.caller
            group.memberUpdates += 1
            storage.groups[group.id] = group
            return ok(["usergroup": group.json(teamID: storage.teamID, includeUsers: true)])
        },
        WebMethod("usergroups.disable", .tier2, scope: "usergroups:write") { storage, call throws(SlackError) in
            try requirePaidPlan(storage)
            try requireEditor(storage, call)
            var group = try existingGroup(storage, call)
            if group.isEnabled {
                group.dateDelete = storage.nowSeconds
                group.deletedBy = call.caller
                storage.groups[group.id] = group
            }
            return ok(["usergroup": group.json(teamID: storage.teamID, includeUsers: true)])
        },
        WebMethod("usergroups.enable", .tier2, scope: "usergroups:write") { storage, call throws(SlackError) in
            try requirePaidPlan(storage)
            try requireEditor(storage, call)
            var group = try existingGroup(storage, call)
            group.dateDelete = 0
            group.deletedBy = nil
            group.updated = storage.nowSeconds
            storage.groups[group.id] = group
            return ok(["usergroup": group.json(teamID: storage.teamID, includeUsers: true)])
        },
    ]

    /// The free plan has no user groups.
    static func requirePaidPlan(_ storage: SlackWorkspace.Storage) throws(SlackError) {
        guard storage.settings.plan != .free else { throw SlackError("plan_upgrade_required") }
    }

    /// Where only admins may edit user groups, a bot token is refused; an admin's user token works.
    static func requireEditor(_ storage: SlackWorkspace.Storage, _ call: MethodCall) throws(SlackError) {
        guard storage.settings.usergroupEditors == .admins else { return }
        guard call.token?.kind == .user, let user = storage.users[call.caller], user.isAdmin || user.isOwner else {
            throw SlackError("permission_denied")
        }
    }

    static func existingGroup(_ storage: SlackWorkspace.Storage, _ call: MethodCall) throws(SlackError) -> WorkspaceGroup {
        guard let group = storage.groups[try call.require("usergroup")] else { throw SlackError("no_such_subteam") }
        return group
    }
}
