import Foundation
import Vapor

/// The PagerDuty connection as the card and `GET /api/v1/integrations/pagerduty` show it:
/// never a secret, only its last four characters.
struct PagerDutyConnectionSummary: Content, Equatable {
    var status: String
    var method: String?
    var key_last4: String?
    var region: String?
    var base_url: String?
    var read_only: Bool?
    var scopes: [String]?
    var connected_at: Date?
    var connected_by: String?
    var account: String?
    var last_success_at: Date?
    var status_detail: String?
    /// This instance's requests on the credential in the last minute, against PagerDuty's limit, by purpose.
    var requests_last_minute: Int?
    var request_limit: Int?
    var requests_by_purpose: [String: Int]?

    static let disconnected = PagerDutyConnectionSummary(status: "disconnected")

    init(status: String) {
        self.status = status
    }

    init(_ connection: PagerDutyConnection) {
        status = connection.status.rawValue
        method = connection.method.rawValue
        key_last4 = connection.secretLast4
        region = connection.region
        base_url = connection.baseURL
        read_only = connection.readOnly
        scopes = connection.method == .oauth ? connection.grantedScopes : nil
        connected_at = connection.connectedAt
        connected_by = connection.connectedBy
        account = connection.account
        last_success_at = connection.lastSuccessAt
        status_detail = connection.statusDetail
    }
}
