import EmulatorSupport
import Foundation

/// What a workspace starts with. `empty`: Slackbot and an owner. `demo`: the demo company's
/// people (the same emails as the PagerDuty emulator's demo account), a guest, a bot, a
/// deactivated account, `#platform` and `#general`, and a `@platform-oncall` group.
enum SlackSeeds {
    static let defaultAppID = "A0SHIFTBRG1"

    static func load(_ seed: SlackWorkspace.Seed, into storage: inout SlackWorkspace.Storage) {
        storage.addUser(name: "Slackbot", email: nil, id: WorkspaceUser.slackbotID)
        var owner = storage.addUser(name: "Avery Owner", email: "owner@\(DemoPeople.domain)", isAdmin: true)
        owner.isOwner = true
        storage.users[owner.id] = owner
        guard seed == .demo else { return }
        var people: [String] = []
        for index in 0..<59 {
            let person = DemoPeople.person(index)
            people.append(storage.addUser(name: person.name, email: person.email).id)
        }
        storage.addUser(name: "Guest Contractor", email: "contractor@partner.example", isRestricted: true)
        storage.addUser(name: "Deploy Bot", email: nil, isBot: true)
        storage.addUser(name: "Former Employee", email: "former.employee@\(DemoPeople.domain)", deleted: true)
        let everyone = Set(people + [owner.id])
        _ = storage.addChannel(name: "general", isPrivate: false, members: everyone)
        _ = storage.addChannel(name: "platform", isPrivate: false, members: Set(people.prefix(11) + [owner.id]))
        let now = storage.nowSeconds
        let group = WorkspaceGroup(id: storage.makeID("S"), name: "Platform on call", handle: "platform-oncall", users: [people[0]],
                                   created: now, updated: now, createdBy: owner.id, updatedBy: owner.id)
        storage.groups[group.id] = group
        storage.groupOrder.append(group.id)
    }
}
