import Fluent
import Vapor

/// The audit log page: everything the viewer may see, newest first, fifty at a time, with
/// filters by actor, action, target and dates (in the viewer's zone).
struct AuditController {
    static let perPage = 50

    func boot(pages: any RoutesBuilder) {
        pages.get("audit", use: page)
    }

    func page(req: Request) async throws -> Response {
        // A link can carry any page number: out of range shows the nearest page.
        let page = (try? req.queryInteger("page")).flatMap { $0 }.map { min(max(1, $0), AuditLog.maxOffset / Self.perPage) } ?? 1
        var filters = AuditLogPage.Filters()
        var filter = AuditLog.Filter()
        var error: String?
        do {
            filters = AuditLogPage.Filters(actor: try req.queryText("actor", maxLength: 254), action: try req.queryText("action", maxLength: 64),
                                           target: try req.queryText("target", maxLength: 600), from: try req.queryText("from", maxLength: 10),
                                           to: try req.queryText("to", maxLength: 10))
            filter = AuditLog.Filter(action: filters.action, actor: filters.actor, target: filters.target,
                                     since: try Self.day(filters.from, field: "from"), until: try Self.day(filters.to, field: "to").map { $0.addingTimeInterval(86_400) })
        } catch let failure as AppError {
            error = failure.message
        }
        let (events, more) = try await req.services.auditLog(req.db).events(visibleTo: try req.requireUser(), filter: filter,
                                                                            offset: (page - 1) * Self.perPage, limit: Self.perPage)
        let model = AuditLogPage.Model(rows: events.map(AuditLogPage.Row.init), page: page, hasMore: more, filters: filters,
                                       actions: AuditAction.allCases.map(\.rawValue).sorted(), error: error)
        return HTMLResponse.make(html: AuditLogPage.render(model, context: req.pageContext(title: "Audit log", section: .audit)))
    }

    /// `2026-01-05` as the start of that day in the viewer's zone.
    static func day(_ text: String?, field: String) throws -> Date? {
        guard let text else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = ViewerTime.zone
        formatter.dateFormat = "yyyy-MM-dd"
        guard let date = formatter.date(from: text) else { throw AppError.invalidField(field, "a date such as 2026-01-05") }
        return date
    }
}
