import Foundation

/// Links that leave the app (invitations, OAuth redirects, calendar feeds, incoming-webhook
/// addresses, SCIM's `meta.location`): made from `SHIFTBRIDGE_PUBLIC_URL` alone, never from
/// the `Host` header a request brought, which anyone can set. Making one without it is
/// refused, saying what to set, before anything is stored.
struct PublicLinks: Sendable {
    let base: String?

    static let required = AppError(.conflict, code: "public_url_required",
                                   "Set SHIFTBRIDGE_PUBLIC_URL to the address people use to reach Shiftbridge (such as https://shiftbridge.example.com): "
                                       + "invitation, OAuth, calendar and SCIM links are made from it")

    /// What a page shows where a link would be while none can be made.
    static let notSet = "(set SHIFTBRIDGE_PUBLIC_URL: this link is made from it)"

    /// `path` under the public address.
    func url(_ path: String) throws -> String {
        guard let base else { throw Self.required }
        return base + path
    }

    /// `path` under the public address, or nil while none is set (for pages that show it).
    func shown(_ path: String) -> String? { base.map { $0 + path } }
}
