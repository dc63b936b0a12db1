import Foundation

/// Sign-in, first-run set-up and an invitation share one small card.
enum AuthPage {
    struct Model {
        enum Kind { case signIn, setup, invitation }
        let kind: Kind
        var email: String = ""
        var next: String?
        var error: String?
    }
}
