import Foundation
import Plot

/// A change as a small list: `field: old → new`, with removed and added values marked.
struct AuditDiffView: Component {
    let diff: AuditDiff

    var body: Component {
        if diff.changes.isEmpty { return Span("—").class("muted") }
        return List {
            for change in diff.changes {
                ListItem {
                    if let field = change.field { Span("\(field): ").class("diff-field") }
                    if let before = change.before { Element(name: "del") { Text(before) } }
                    if change.before != nil && change.after != nil { Text(" → ") }
                    if let after = change.after { Element(name: "ins") { Text(after) } }
                }
            }
        }
        .class("diff")
    }
}
