import Foundation

/// Settings → Preferences: how the dashboard shows things to this viewer.
enum PreferencesPage {
    struct Model {
        let timeZone: String?
        let error: String?
        /// Every zone the server knows, for the searchable list.
        let zones: [String]
    }
}
