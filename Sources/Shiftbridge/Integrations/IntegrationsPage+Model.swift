import Foundation

/// Settings → Integrations: one card per provider (PagerDuty today).
enum IntegrationsPage {
    struct Model {
        let pagerDuty: PagerDutyConnectionSummary
        /// The exact redirect URL to register in PagerDuty's App Registration.
        let redirectURI: String
        let canManage: Bool
        let formError: String?
    }
}
