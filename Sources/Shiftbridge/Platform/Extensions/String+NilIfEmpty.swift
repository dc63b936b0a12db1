extension String {
    /// Nil for an empty string: what a form's blank field means.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
