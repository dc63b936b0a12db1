import Foundation
import Vapor

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
