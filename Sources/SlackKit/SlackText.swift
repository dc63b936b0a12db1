import Foundation

/// Text as Slack's `text` field requires: `&`, `<` and `>` escaped, so a name such as
/// `<script>` or `<!channel>` is shown, never acted on.
public enum SlackText {
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    public static func mention(_ userID: String) -> String { "<@\(userID)>" }
}
