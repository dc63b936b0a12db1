import Foundation

/// Settings → Webhooks: outbound webhooks and their delivery log.
enum WebhooksPage {
    struct Hook {
        let id: String
        let url: String
        let rotation: String?
        let last4: String
        let deliveries: [(at: Date, status: String, attempts: Int, detail: String)]
    }

    struct Model {
        let hooks: [Hook]
        let newSecret: (url: String, secret: String)?
        let error: String?
    }
}
