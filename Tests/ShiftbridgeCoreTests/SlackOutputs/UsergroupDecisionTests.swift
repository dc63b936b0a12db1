import ShiftbridgeCore
import Testing

@Suite struct UsergroupDecisionTests {
    @Test func aMissingGroupIsCreatedOnlyWhenSomeoneIsOnDuty() {
        #expect(UsergroupDecision.decide(wanted: ["U1"], current: nil, lastApplied: nil) == .init(action: .create, drifted: false))
        #expect(UsergroupDecision.decide(wanted: [], current: nil, lastApplied: nil).action == UsergroupDecision.Action.none)
    }

    @Test func slackIsCalledOnlyWhenItDiffers() {
        #expect(UsergroupDecision.decide(wanted: ["U1", "U2"], current: (["U2", "U1"], true), lastApplied: ["U1", "U2"]).action == UsergroupDecision.Action.none)
        #expect(UsergroupDecision.decide(wanted: ["U2"], current: (["U1"], true), lastApplied: ["U1"]) == .init(action: .update, drifted: false))
    }

    @Test func nobodyOnDutyDisablesAndTheNextDutyEnables() {
        #expect(UsergroupDecision.decide(wanted: [], current: (["U1"], true), lastApplied: ["U1"]).action == .disable)
        #expect(UsergroupDecision.decide(wanted: [], current: (["U1"], false), lastApplied: ["U1"]).action == UsergroupDecision.Action.none)
        #expect(UsergroupDecision.decide(wanted: ["U1"], current: (["U1"], false), lastApplied: []).action == .enable(thenUpdate: false))
        #expect(UsergroupDecision.decide(wanted: ["U2"], current: (["U1"], false), lastApplied: []).action == .enable(thenUpdate: true))
    }

    @Test func aHandEditIsReportedAndPutBack() {
        let decision = UsergroupDecision.decide(wanted: ["U1"], current: (["U9"], true), lastApplied: ["U1"])
        #expect(decision == .init(action: .update, drifted: true))
        // The first time, what Slack holds is not a drift: nothing was applied yet.
        #expect(!UsergroupDecision.decide(wanted: ["U1"], current: (["U9"], true), lastApplied: nil).drifted)
    }
}
