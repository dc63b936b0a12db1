import Foundation

/// The audit log page: rows of events, and where the pager is.
enum AuditLogPage {
    struct Row: Sendable {
        let time: Date
        let actor: String
        let action: String
        let target: String
        let before: String?
        let after: String?
    }

    struct Model {
        let rows: [Row]
        let page: Int
        let hasMore: Bool
    }
}

extension AuditLogPage.Row {
    init(_ event: AuditEvent) {
        self.init(time: event.occurredAt, actor: event.actor, action: event.action.rawValue, target: event.target,
                  before: event.beforeSummary, after: event.afterSummary)
    }
}
