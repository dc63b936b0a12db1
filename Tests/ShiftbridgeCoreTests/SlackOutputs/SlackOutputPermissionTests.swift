import ShiftbridgeCore
import Testing

@Suite struct SlackOutputPermissionTests {
    func facts(admin: Bool = false, made: Set<String> = [], claimed: Set<String> = [], inSlack: Set<String> = ["leads", "s0leads"],
               inChannel: Bool? = nil) -> SlackOutputPermission.Facts {
        .init(isAdministrator: admin, madeForThisRotation: made, claimedElsewhere: claimed, inSlack: inSlack, ownerInChannel: inChannel,
              roster: ["ann@example.com", "ben@example.com"])
    }

    func decide(group: String?, previous: String? = nil, channel: (String?, String?) = (nil, nil), members: [String] = [], before: [String] = [],
                _ facts: SlackOutputPermission.Facts) -> SlackOutputPermission {
        SlackOutputPermission.decide(groups: [.init(field: "on_duty_usergroup", wanted: group, previous: previous)], channel: channel,
                                     permanentMembers: (members, before), facts: facts)
    }

    @Test func ownersUseGroupsMadeForTheRotationOrNewHandles() {
        #expect(decide(group: "new-oncall", facts()) == .init(refusals: [], reserve: ["new-oncall"]))
        #expect(decide(group: "hook-oncall", facts(made: ["hook-oncall"], inSlack: ["hook-oncall"])).refusals.isEmpty)
        #expect(decide(group: "Leads", facts()).refusals.first?.hasPrefix("on_duty_usergroup: @leads is a user group") == true)
        #expect(decide(group: "S0LEADS", facts()).refusals.count == 1)
        // Named by another rotation but not made yet: theirs.
        #expect(decide(group: "other-oncall", facts(claimed: ["other-oncall"], inSlack: [])).refusals.count == 1)
        // As it was (an administrator set it): still allowed.
        #expect(decide(group: "leads", previous: "leads", facts()).refusals.isEmpty)
        #expect(decide(group: "leads", facts(admin: true)).refusals.isEmpty)
    }

    @Test func ownersUseChannelsTheyAreIn() {
        #expect(decide(group: nil, channel: ("C1", nil), facts(inChannel: true)).refusals.isEmpty)
        #expect(decide(group: nil, channel: ("C1", nil), facts(inChannel: false)).refusals.first?.contains("not a member of C1") == true)
        #expect(decide(group: nil, channel: ("C1", nil), facts()).refusals.first?.contains("not linked to a Slack member") == true)
        #expect(decide(group: nil, channel: ("C1", "C1"), facts()).refusals.isEmpty)
        #expect(decide(group: nil, channel: ("C1", nil), facts(admin: true)).refusals.isEmpty)
    }

    @Test func permanentMembersComeFromTheRotation() {
        #expect(decide(group: nil, members: ["ann@example.com"], facts()).refusals.isEmpty)
        #expect(decide(group: nil, members: ["ann@example.com", "boss@example.com"], facts()).refusals == [
            "permanent_members: boss@example.com is not in this rotation; only an administrator may add people from outside it"])
        #expect(decide(group: nil, members: ["boss@example.com"], before: ["boss@example.com"], facts()).refusals.isEmpty)
        #expect(decide(group: nil, members: ["boss@example.com"], facts(admin: true)).refusals.isEmpty)
    }
}
