import Foundation

/// Settings → Integrations: one card per provider (PagerDuty, Slack).
enum IntegrationsPage {
    struct Model {
        let pagerDuty: PagerDutyConnectionSummary
        let slack: SlackConnectionSummary
        /// The exact redirect URL to register in PagerDuty's App Registration (nil until
        /// `SHIFTBRIDGE_PUBLIC_URL` is set).
        let redirectURI: String?
        /// The exact redirect URL to add under the Slack app's OAuth & Permissions.
        let slackRedirectURI: String?
        let canManage: Bool
        let formError: String?
        /// Which card the form error belongs to.
        let errorCard: Card

        func error(for card: Card) -> String? { errorCard == card ? formError : nil }
    }

    enum Card { case pagerDuty, slack }
}
