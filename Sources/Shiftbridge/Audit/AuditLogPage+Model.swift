import Foundation

/// The audit log page: rows of events, the filters in force, and where the pager is.
enum AuditLogPage {
    struct Row: Sendable {
        let time: Date
        let actor: String
        let action: String
        let target: String
        let before: String?
        let after: String?
    }

    /// The filters as typed, echoed back into the form and the pager's links.
    struct Filters: Sendable {
        var actor: String?
        var action: String?
        var target: String?
        var from: String?
        var to: String?

        var query: String {
            [("actor", actor), ("action", action), ("target", target), ("from", from), ("to", to)]
                .compactMap { name, value in value.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" } }
                .joined(separator: "&")
        }
    }

    struct Model {
        let rows: [Row]
        let page: Int
        let hasMore: Bool
        let filters: Filters
        let actions: [String]
        let error: String?
    }
}

extension AuditLogPage.Row {
    init(_ event: AuditEvent) {
        self.init(time: event.occurredAt, actor: event.actor, action: event.action.rawValue, target: event.target,
                  before: event.beforeSummary, after: event.afterSummary)
    }
}
