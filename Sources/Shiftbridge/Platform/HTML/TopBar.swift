import Plot
import Vapor

struct TopBar: Component {
    let context: PageContext

    var body: Component {
        Header {
            Link("Shiftbridge", url: "/").class("brand")
            if let email = context.userEmail {
                Navigation {
                    for section in Section.allCases where context.isAdmin || !section.adminOnly {
                        Link(section.title, url: section.path)
                            .class(section == context.section ? "active" : "")
                            .attribute(named: "aria-current", value: section == context.section ? "page" : nil)
                    }
                }
                .class("nav")
                Div {
                    Span(email).class("who")
                    Form(url: "/sign-out", method: .post) {
                        CSRFField(token: context.csrfToken)
                        Button("Sign out").class("link-button").attribute(named: "type", value: "submit")
                    }
                }
                .class("account")
            }
        }
        .class("topbar")
    }
}
