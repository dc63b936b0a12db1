import Plot
import Vapor

struct ErrorPage {
    let status: HTTPResponseStatus
    let message: String

    func render() -> String {
        let context = PageContext(title: "\(status.code) \(status.reasonPhrase)", section: nil, userEmail: nil, csrfToken: "", flash: nil)
        return Layout.render(context) {
            Div {
                H1("\(status.code) · \(status.reasonPhrase)")
                Paragraph(message)
                Link("Back to the dashboard", url: "/")
            }
            .class("card narrow")
        }
    }
}
