import Plot
import Vapor

/// The tabs at the top of every Settings page.
struct SettingsTabs: Component {
    let current: SettingsTab
    let isAdmin: Bool

    var body: Component {
        Navigation {
            for tab in SettingsTab.allCases where isAdmin || !tab.adminOnly {
                Link(tab.title, url: tab.path)
                    .class(tab == current ? "tab active" : "tab")
                    .attribute(named: "aria-current", value: tab == current ? "page" : nil)
            }
        }
        .class("tabs").attribute(named: "aria-label", value: "Settings")
    }
}
