import Foundation
import Plot

extension PreferencesPage {
    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("Settings")
            SettingsTabs(current: .preferences, isAdmin: context.isAdmin)
            if let error = model.error { ErrorFlash(message: error) }
            Form(url: SettingsTab.preferences.path, method: .post) {
                CSRFField(token: context.csrfToken)
                ZoneField(label: "Time zone", name: "time_zone", value: model.timeZone, zones: model.zones,
                          hint: "Every time in the dashboard is shown in this zone. Leave empty to use your browser's (now \(ViewerTime.zone.identifier)).")
                Button("Save").class("button primary").attribute(named: "type", value: "submit").id("save-preferences")
            }
            .class("card")
        }
    }
}
