import Plot
import Vapor

/// The hidden field every form posts so CSRFMiddleware can check it.
struct CSRFField: Component {
    let token: String
    var body: Component {
        Input(type: .hidden, name: CSRFProtection.formField, value: token)
    }
}
