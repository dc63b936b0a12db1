import Foundation

/// The one rule for an email address, wherever one comes in (an HR file, SCIM, the API, the
/// dashboard, Slack outputs): trimmed and lower-cased; one `@`; a local part of at most 64
/// bytes; a domain of dot-separated labels (letters, digits, hyphens, or non-ASCII for
/// internationalised names); at most 254 bytes in all; no spaces, quotes, angle brackets or
/// control characters (nothing that could break out of a header, a mention or markup).
public enum EmailAddress {
    public static let maxLength = 254

    /// The form every comparison uses: trimmed, lower-cased.
    public static func normalize(_ raw: String) -> String {
        raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// `raw` normalised, or nil when it is not an address.
    public static func validated(_ raw: String) -> String? {
        let email = normalize(raw)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.utf8.count <= maxLength, parts.count == 2 else { return nil }
        let (local, domain) = (parts[0], parts[1])
        let forbidden: Set<Character> = ["<", ">", "\"", "(", ")", ",", ";", ":", "\\", "[", "]", "`"]
        guard !local.isEmpty, local.utf8.count <= 64, !local.hasPrefix("."), !local.hasSuffix("."),
              email.unicodeScalars.allSatisfy({ !CharacterSet.whitespacesAndNewlines.contains($0) && !CharacterSet.controlCharacters.contains($0) }),
              !email.contains(where: forbidden.contains)
        else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }) else { return nil }
        return email
    }

    public static func isValid(_ raw: String) -> Bool { validated(raw) != nil }
}
