import Foundation

/// The overview a signed-in person lands on.
enum HomePage {
    struct Model {
        let recentEvents: [AuditLogPage.Row]
    }
}
