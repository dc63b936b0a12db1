import Foundation

/// Where to go after signing in: only a path on this site. Browsers drop tabs and newlines
/// from URLs and read `\` as `/`, so `/\t/evil.example` or `/\evil.example` would lead away;
/// such values, and anything with a scheme or a host, are refused.
enum SafeRedirect {
    static func path(_ raw: String?) -> String? {
        guard let raw, !raw.isEmpty, raw.utf8.count <= 2048 else { return nil }
        guard raw.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value != 0x7f && $0 != "\\" }) else { return nil }
        guard raw.hasPrefix("/"), !raw.hasPrefix("//"), let components = URLComponents(string: raw),
              components.scheme == nil, components.host == nil, components.user == nil, components.percentEncodedPath.hasPrefix("/"),
              !components.percentEncodedPath.hasPrefix("//")
        else { return nil }
        return components.string
    }
}
