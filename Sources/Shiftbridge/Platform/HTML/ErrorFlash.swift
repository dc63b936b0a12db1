import Plot

/// What went wrong with the form just sent, announced to screen readers at once.
struct ErrorFlash: Component {
    let message: String

    var body: Component {
        Div(message).class("flash flash-error").attribute(named: "role", value: "alert")
    }
}
