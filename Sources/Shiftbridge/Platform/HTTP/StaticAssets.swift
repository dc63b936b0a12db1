import Foundation

enum StaticAssets {
    /// The folder served at `/static/…`: the `Public` resources bundled with this module.
    static var directory: String {
        (Bundle.module.resourcePath ?? ".") + "/Public/"
    }
}
