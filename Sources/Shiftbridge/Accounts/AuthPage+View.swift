import Plot

/// Sign-in and first-run set-up share one small centred card.
extension AuthPage {
    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            Div {
                switch model.kind {
                case .signIn: H1("Sign in")
                case .setup:
                    H1("Create the first administrator")
                    Paragraph("No administrator exists yet. The account you create here manages integrations, rotations and provisioning.")
                        .class("muted")
                case .invitation:
                    H1("Join Shiftbridge")
                    Paragraph("You were invited as \(model.email). Choose a password to finish.").class("muted")
                }
                if let error = model.error {
                    ErrorFlash(message: error)
                }
                Form(url: model.kind == .invitation ? "" : (model.kind == .signIn ? "/sign-in" : "/setup"), method: .post) {
                    CSRFField(token: context.csrfToken)
                    if let next = model.next { Input(type: .hidden, name: "next", value: next) }
                    if model.kind == .invitation {
                        // For password managers: the account the new password belongs to.
                        Input(type: .hidden, name: "email", value: model.email).attribute(named: "autocomplete", value: "username")
                    } else {
                        FormField(label: "Email", name: "email", value: model.email, autocomplete: "username", inputMode: "email")
                    }
                    FormField(
                        label: "Password", name: "password", type: .password,
                        autocomplete: model.kind == .signIn ? "current-password" : "new-password",
                        hint: model.kind == .signIn ? nil : "At least \(PasswordPolicy.minimumLength) characters; a phrase of four unrelated words works well.")
                    Button(submitLabel(model.kind)).class("button primary").attribute(named: "type", value: "submit")
                }
            }
            .class("card narrow")
        }
    }

    private static func submitLabel(_ kind: Model.Kind) -> String {
        switch kind {
        case .signIn: "Sign in"
        case .setup: "Create administrator"
        case .invitation: "Join"
        }
    }
}
