import ShiftbridgeCore
import Testing

@Suite struct EmailAddressTests {
    @Test func addressesAreNormalisedOrRefused() {
        #expect(EmailAddress.validated("  Ann.Lee+oncall@Example.COM ") == "ann.lee+oncall@example.com")
        #expect(EmailAddress.validated("zoë@bücher.example") == "zoë@bücher.example")
        for bad in ["", "ann", "ann@", "@example.com", "ann@example", "ann@@example.com", "ann@.example.com", "ann@example.com.", "ann lee@example.com",
                    "<ann>@example.com", "\"ann\"@example.com", "ann@exa_mple.com", ".ann@example.com", "ann@-example.com", "ann\u{0}@example.com",
                    "ann@example.com\nBcc: x@y.z", String(repeating: "a", count: 65) + "@example.com",
                    "a@" + String(repeating: "b", count: 250) + ".com"] {
            #expect(EmailAddress.validated(bad) == nil, "\(bad)")
        }
        #expect(EmailAddress.isValid(String(repeating: "a", count: 64) + "@example.com"))
    }
}
