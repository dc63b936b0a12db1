import Foundation
import ShiftbridgeCore

/// Settings decoded onto the current ones, so a document updates only the keys it names.
struct SettingsPatch: DecodableWithConfiguration {
    let settings: ProvisioningSettings

    init(from decoder: any Decoder, configuration: ProvisioningSettings) throws {
        settings = try ProvisioningSettings(from: decoder, base: configuration)
    }
}
