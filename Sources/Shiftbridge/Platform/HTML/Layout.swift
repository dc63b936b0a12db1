import Plot
import Vapor

/// Sections of the dashboard, in navigation order.
enum Section: String, CaseIterable, Sendable {
    case rotations, people, provisioning, settings, audit

    var title: String {
        switch self {
        case .rotations: "Rotations"
        case .people: "People"
        case .provisioning: "Provisioning"
        case .settings: "Settings"
        case .audit: "Audit log"
        }
    }

    var path: String { "/\(rawValue)" }

    /// Sections only administrators see.
    var adminOnly: Bool { self == .provisioning }
}

/// The pages under Settings, in tab order.
enum SettingsTab: String, CaseIterable, Sendable {
    case integrations, webhooks, users, tokens

    var title: String {
        switch self {
        case .integrations: "Integrations"
        case .webhooks: "Webhooks"
        case .users: "Users"
        case .tokens: "API tokens"
        }
    }

    var path: String { "/settings/\(rawValue)" }
    var adminOnly: Bool { self != .tokens }

    /// Where Settings opens: the first tab this viewer may use.
    static func first(isAdmin: Bool) -> SettingsTab { isAdmin ? .integrations : .tokens }
}

/// The tabs at the top of every Settings page.
struct SettingsTabs: Component {
    let current: SettingsTab
    let isAdmin: Bool

    var body: Component {
        Navigation {
            for tab in SettingsTab.allCases where isAdmin || !tab.adminOnly {
                Link(tab.title, url: tab.path)
                    .class(tab == current ? "tab active" : "tab")
                    .attribute(named: "aria-current", value: tab == current ? "page" : nil)
            }
        }
        .class("tabs").attribute(named: "aria-label", value: "Settings")
    }
}

/// What every page needs from the request: who is signed in, the CSRF token, a flash.
struct PageContext: Sendable {
    var title: String
    var section: Section?
    var userEmail: String?
    var isAdmin = false
    var csrfToken: String
    var flash: Flash?

    struct Flash: Sendable, Codable {
        enum Kind: String, Sendable, Codable { case success, error, info }
        let kind: Kind
        let message: String
    }
}

extension Request {
    /// Builds the page context, consuming any flash stored by the previous request.
    func pageContext(title: String, section: Section? = nil) -> PageContext {
        var flash: PageContext.Flash?
        if let raw = browserSession["flash"] {
            flash = try? JSONDecoder().decode(PageContext.Flash.self, from: Data(raw.utf8))
            browserSession["flash"] = nil
        }
        let user = auth.get(User.self)
        return PageContext(title: title, section: section, userEmail: user?.email, isAdmin: user?.isAdmin ?? false, csrfToken: csrfToken, flash: flash)
    }

    /// Stores a message for the next page this session renders (post/redirect/get).
    func flash(_ kind: PageContext.Flash.Kind, _ message: String) {
        if let data = try? JSONEncoder().encode(PageContext.Flash(kind: kind, message: message)) {
            browserSession["flash"] = String(decoding: data, as: UTF8.self)
        }
    }
}

/// The page frame: top bar with navigation, flash, and the page's content.
enum Layout {
    static func render(_ context: PageContext, @ComponentBuilder content: () -> Component) -> String {
        let body = content()
        return Document.render(title: "\(context.title) · Shiftbridge") {
            TopBar(context: context)
            Element(name: "main") {
                if let flash = context.flash {
                    Div(flash.message).class("flash flash-\(flash.kind.rawValue)").attribute(named: "role", value: "status")
                }
                body
            }
            .class("container")
        }
    }
}

private struct TopBar: Component {
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

/// The hidden field every form posts so CSRFMiddleware can check it.
struct CSRFField: Component {
    let token: String
    var body: Component {
        Input(type: .hidden, name: CSRFProtection.formField, value: token)
    }
}

/// A labelled input, the form row used across the dashboard.
struct FormField: Component {
    let label: String
    let name: String
    var type: HTMLInputType = .text
    var value: String? = nil
    var required = true
    var autocomplete: String? = nil
    var hint: String? = nil

    var body: Component {
        Label(label) {
            Input(type: type, name: name, value: value, isRequired: required)
                .attribute(named: "autocomplete", value: autocomplete)
                .attribute(named: "id", value: name)
            if let hint { Span(hint).class("hint") }
        }
        .class("field")
    }
}

enum HTMLResponse {
    static func make(status: HTTPResponseStatus = .ok, html: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(string: html))
    }
}

extension Date {
    /// How the dashboard shows times: ISO-like, UTC, to the minute.
    var displayString: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: self)
    }
}
