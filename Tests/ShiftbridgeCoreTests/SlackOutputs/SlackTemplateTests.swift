import ShiftbridgeCore
import Testing

@Suite struct SlackTemplateTests {
    let values = SlackTemplate.Values(
        onDuty: [.init(name: "Ann", slackID: "U1"), .init(name: "<script>Ben", slackID: nil)], previous: [], next: [.init(name: "Cat", slackID: "U3")],
        until: "Mon 7 Dec 09:00 GMT", rotation: "Ops & Infra", code: "OPS")

    @Test func fieldsAreFilledWithMentionsOrEscapedNames() throws {
        let filled = try SlackTemplate("{rotation} <{code}>: {on_duty} until {until}; was {previous}; next {next}").fill(values)
        #expect(filled == "Ops &amp; Infra &lt;OPS&gt;: <@U1>, &lt;script&gt;Ben until Mon 7 Dec 09:00 GMT; was nobody; next <@U3>")
    }

    @Test func unknownFieldsAndUnclosedBracesAreRefusedByName() {
        #expect(throws: SlackTemplateError.unknownField("oncall")) { try SlackTemplate("On duty: {oncall}") }
        #expect(throws: SlackTemplateError.unclosedBrace) { try SlackTemplate("On duty: {on_duty") }
        #expect(SlackTemplateError.unknownField("x").message.contains("{on_duty}"))
    }

    @Test func anEmptyTemplateAndPlainTextWork() throws {
        #expect(try SlackTemplate("").fill(values) == "")
        #expect(try SlackTemplate("no fields").fill(values) == "no fields")
    }
}
