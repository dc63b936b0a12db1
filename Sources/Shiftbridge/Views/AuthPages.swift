import Plot

/// Sign-in and first-run set-up share one small centred card.
enum AuthPage {
    struct Model {
        enum Kind { case signIn, setup }
        let kind: Kind
        var email: String = ""
        var next: String?
        var error: String?
    }

    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            Div {
                H1(model.kind == .signIn ? "Sign in" : "Create the first administrator")
                if model.kind == .setup {
                    Paragraph("No administrator exists yet. The account you create here manages integrations, rotations and provisioning.")
                        .class("muted")
                }
                if let error = model.error {
                    Div(error).class("flash flash-error").attribute(named: "role", value: "alert")
                }
                Form(url: model.kind == .signIn ? "/sign-in" : "/setup", method: .post) {
                    CSRFField(token: context.csrfToken)
                    if let next = model.next { Input(type: .hidden, name: "next", value: next) }
                    FormField(label: "Email", name: "email", type: .email, value: model.email, autocomplete: "username")
                    FormField(
                        label: "Password", name: "password", type: .password,
                        autocomplete: model.kind == .signIn ? "current-password" : "new-password",
                        hint: model.kind == .setup ? "At least \(PasswordPolicy.minimumLength) characters." : nil)
                    Button(model.kind == .signIn ? "Sign in" : "Create administrator")
                        .class("button primary").attribute(named: "type", value: "submit")
                }
            }
            .class("card narrow")
        }
    }
}

enum PasswordPolicy {
    static let minimumLength = 12

    /// Nil when acceptable, else what to change.
    static func problem(with password: String) -> String? {
        password.count < minimumLength ? "The password must be at least \(minimumLength) characters long." : nil
    }
}
