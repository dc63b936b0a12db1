import Foundation
import Vapor

/// Settings → Preferences.
struct PreferencesController {
    struct PreferencesForm: Content {
        var time_zone: String?
    }

    func boot(pages: any RoutesBuilder) {
        pages.get("settings", "preferences", use: page)
        pages.post("settings", "preferences", use: save)
    }

    func page(req: Request) async throws -> Response {
        try render(req, error: nil)
    }

    func save(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(PreferencesForm.self)
        do {
            try await req.services.userAccounts(req.db).setTimeZone(form.time_zone, for: user)
            req.flash(.success, user.timeZone.map { "Times are now shown in \($0)." } ?? "Times are now shown in your browser's time zone.")
            return req.redirect(to: SettingsTab.preferences.path)
        } catch let error as AppError {
            return try render(req, error: error.message, status: error.kind.httpStatus)
        }
    }

    private func render(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) throws -> Response {
        let user = try req.requireUser()
        let model = PreferencesPage.Model(timeZone: user.timeZone, error: error, zones: ZoneField.allZones)
        return HTMLResponse.make(status: status, html: PreferencesPage.render(model, context: req.pageContext(title: "Preferences", section: .settings)))
    }
}
