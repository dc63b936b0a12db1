extension RawRepresentable where RawValue == String {
    /// A stored value as people read it: `pending_approval` → "pending approval".
    var words: String { rawValue.replacingOccurrences(of: "_", with: " ") }
}
