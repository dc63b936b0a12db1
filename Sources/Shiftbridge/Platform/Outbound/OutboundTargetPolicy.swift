import Foundation

/// Where Shiftbridge may send requests: webhooks go to public https hosts; credentials go
/// only to the vendors' API hosts. Stand-ins (the emulators, a receiver on this machine) are
/// allowed only by configuration. Refusals and failures read the same whatever answered, so
/// the checks cannot be used to probe a network.
struct OutboundTargetPolicy: Sendable {
    typealias CustomAPIHosts = AppConfig.CustomAPIHosts

    /// Where a credential may be sent.
    enum Vendor: Sendable {
        case pagerDutyAPI, pagerDutyIdentity, slackAPI, bambooHR

        var origins: [String] {
            switch self {
            case .pagerDutyAPI: ["https://api.pagerduty.com", "https://api.eu.pagerduty.com"]
            case .pagerDutyIdentity: ["https://identity.pagerduty.com", "https://identity.eu.pagerduty.com"]
            case .slackAPI: ["https://slack.com"]
            case .bambooHR: ["https://api.bamboohr.com"]
            }
        }
    }

    static let maxURLLength = 2048
    /// What a refused or failed webhook target reads as, whatever the reason.
    static let unreachable = "the URL could not be reached or is not allowed (webhooks go to public https hosts)"

    var allowHTTPHosts: Set<String> = []
    var allowPrivateTargets = false
    var customAPIHosts: CustomAPIHosts = .none
    var resolver: any HostResolver = SystemHostResolver()

    /// A webhook URL as typed: https (or http for an allowed host), no user info, a host
    /// name or canonical address, at most 2 KB. Returns it trimmed.
    func webhookURL(_ raw: String, field: String = "url") throws -> URLComponents {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw AppError.invalidField(field, "enter the URL to POST duty changes to, such as https://hooks.example.com/shiftbridge") }
        guard text.utf8.count <= Self.maxURLLength else { throw AppError.invalidField(field, "at most \(Self.maxURLLength) characters") }
        let url = try Self.parse(text, field: field)
        let scheme = url.scheme?.lowercased() ?? ""
        let host = (url.host ?? "").lowercased()
        guard scheme == "https" || (scheme == "http" && allowHTTPHosts.contains(host)) else {
            throw AppError.invalidField(field, "use an https:// URL (plain http is allowed only for hosts in SHIFTBRIDGE_ALLOW_HTTP_HOSTS)")
        }
        if !allowPrivateTargets, let address = NetworkAddress(Self.bare(host)), !address.isPublic {
            throw AppError.invalidField(field, "\(host) is a loopback, private or link-local address; webhooks go to public hosts")
        }
        return url
    }

    /// Checked at every send, so a name that resolved to a public address when saved cannot
    /// be pointed at this network later. Answers the address checked, which the request must
    /// connect to (`TransportRequest.connectTo`): a second DNS answer is never asked for. Nil
    /// when private targets are allowed (nothing to hold to). Throws one message for every refusal.
    @discardableResult
    func checkDeliveryTarget(_ url: String) async throws -> String? {
        do {
            let components = try webhookURL(url)
            guard !allowPrivateTargets else { return nil }
            let addresses = try await resolver.addresses(of: Self.bare(components.host ?? ""))
            guard let first = addresses.first, addresses.allSatisfy(\.isPublic) else { throw AppError(.forbidden, code: "target_refused", Self.unreachable) }
            return first.description
        } catch {
            throw AppError(.forbidden, code: "target_refused", Self.unreachable)
        }
    }

    /// A vendor's API or identity base URL: nil keeps the default; anything else must be one
    /// of the vendor's hosts unless custom hosts are allowed.
    func apiBaseURL(_ raw: String?, field: String, vendor: Vendor) throws -> String? {
        guard let raw = raw?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
        guard raw.utf8.count <= Self.maxURLLength else { throw AppError.invalidField(field, "at most \(Self.maxURLLength) characters") }
        let url = try Self.parse(raw, field: field)
        let origin = Self.origin(url)
        let trimmed = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        if vendor.origins.contains(origin) && (url.path.isEmpty || url.path == "/" || vendor == .slackAPI) { return trimmed }
        switch customAPIHosts {
        case .any: return trimmed
        case .origins(let allowed) where allowed.contains(origin): return trimmed
        default:
            throw AppError.invalidField(field, "must be one of \(vendor.origins.joined(separator: ", ")); other hosts (such as an emulator) need SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS")
        }
    }

    /// Whether a stored base URL may still receive credentials under this policy.
    func allowsStoredAPIBase(_ url: String, vendor: Vendor) -> Bool {
        (try? apiBaseURL(url, field: "base_url", vendor: vendor)) != nil
    }

    /// The `form-action` sources: where a form may lead, redirects included (the OAuth
    /// authorize pages). Any host, when any custom host is allowed.
    var formActionSources: [String] {
        let vendors = Vendor.pagerDutyIdentity.origins + ["https://slack.com"]
        switch customAPIHosts {
        case .none: return ["'self'"] + vendors
        case .any: return ["'self'", "http:", "https:"]
        case .origins(let extra): return ["'self'"] + vendors + extra.sorted()
        }
    }

    // MARK: Parsing

    /// An absolute http(s) URL whose characters need no escaping anywhere, without user info,
    /// with a host that is a DNS name or a canonical address (not `0x7f000001` or `127.1`).
    static func parse(_ text: String, field: String) throws -> URLComponents {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&()*+,;=%")
        guard text.unicodeScalars.allSatisfy(allowed.contains), let url = URLComponents(string: text),
              let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), let host = url.host, !host.isEmpty
        else { throw AppError.invalidField(field, "expected an absolute URL such as https://hooks.example.com/path (spaces, quotes and <> must be percent-encoded)") }
        guard url.user == nil, url.password == nil else { throw AppError.invalidField(field, "leave user names and passwords out of the URL") }
        guard isCanonicalHost(host) else { throw AppError.invalidField(field, "'\(host)' is not a host name or a plain IP address") }
        return url
    }

    static func isCanonicalHost(_ host: String) -> Bool {
        if host.hasPrefix("[") && host.hasSuffix("]") { return NetworkAddress(String(host.dropFirst().dropLast())) != nil }
        let labels = host.lowercased().split(separator: ".", omittingEmptySubsequences: false)
        guard !labels.isEmpty, labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") } }) else {
            return false
        }
        // A last label of digits (or 0x…) makes the name an address: it must be a plain dotted quad.
        let last = labels.last!
        if last.allSatisfy(\.isNumber) || last.hasPrefix("0x") {
            guard labels.count == 4, labels.allSatisfy({ $0 == "0" || ($0.first != "0" && $0.allSatisfy(\.isNumber) && (Int($0) ?? 256) < 256) }) else { return false }
        }
        return true
    }

    static func bare(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    static func origin(_ url: URLComponents) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        let port = url.port.map { ":\($0)" } ?? ""
        return "\(scheme)://\((url.host ?? "").lowercased())\(port)"
    }
}
