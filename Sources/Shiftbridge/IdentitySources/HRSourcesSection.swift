import Foundation
import Plot

/// The Provisioning page's HR sources: each with its last run, result and next run, Run now
/// and Remove; and a form to add a drop folder, a report URL or BambooHR.
struct HRSourcesSection: Component {
    struct Row {
        let id: String
        let name: String
        let kind: HRSource.Kind
        let target: String
        let lastRunAt: Date?
        let lastResult: HRSource.Result?
        let lastMessage: String?
        let nextRunAt: Date
    }

    let sources: [Row]
    let csrf: String

    var body: Component {
        Div {
            H2("HR sources").id("sources")
            Paragraph("Fetched on a schedule and imported like an upload: a drop folder (an SFTP drop), an HR report URL such as Workday's, or BambooHR. Identity providers push people over SCIM instead (Settings → SCIM).").class("muted")
            if sources.isEmpty {
                Paragraph("No HR source yet.").class("muted")
            } else {
                List(sources) { source in
                    ListItem {
                        Element(name: "strong") { Text(source.name) }
                        Text(" — \(source.kind.rawValue): \(source.target). ")
                        if let at = source.lastRunAt {
                            Span(source.lastResult?.rawValue ?? "").class("badge badge-\(source.lastResult == .failed || source.lastResult == .rejected ? "bad" : source.lastResult == .waiting ? "warn" : "ok")")
                            Text(" \(at.displayString): \(source.lastMessage ?? "")")
                        } else {
                            Text("Not run yet.")
                        }
                        Text(" Next run \(source.nextRunAt.displayString).")
                        Form(url: "/provisioning/sources/\(source.id)/run", method: .post) {
                            CSRFField(token: csrf)
                            Button("Run now").class("button small").attribute(named: "type", value: "submit")
                        }
                        .class("inline")
                        Form(url: "/provisioning/sources/\(source.id)/delete", method: .post) {
                            CSRFField(token: csrf)
                            Button("Remove").class("button small danger").attribute(named: "type", value: "submit")
                        }
                        .class("inline").attribute(named: "data-confirm", value: "Remove the source '\(source.name)'? What it imported stays.")
                    }
                }
                .id("source-list")
            }
            Element(name: "details") {
                Element(name: "summary") { Text("Add an HR source") }
                Form(url: "/provisioning/sources", method: .post) {
                    CSRFField(token: csrf)
                    Div {
                        FormField(label: "Name", name: "name", autocomplete: "off", hint: "Such as Workday export")
                        Div {
                            Label("Kind") { Select(name: "kind", options: [("folder", "Drop folder (SFTP)"), ("url", "HR report URL"), ("bamboohr", "BambooHR")], selected: "folder") }
                        }
                        .class("field")
                        FormField(label: "Every (minutes)", name: "every_minutes", type: .number, value: "60")
                        FormField(label: "Folder", name: "path", required: false, autocomplete: "off", hint: "Drop folder: an absolute path, such as /srv/sftp/hr/upload")
                        FormField(label: "File pattern", name: "pattern", value: "*.csv", required: false, autocomplete: "off", hint: "Drop folder: such as hr-*.csv")
                        FormField(label: "Report URL", name: "url", required: false, autocomplete: "off", hint: "Report URL: https://…; CSV, or JSON with records")
                        FormField(label: "Records path (JSON)", name: "records", required: false, autocomplete: "off", hint: "Such as Report_Entry; empty for CSV")
                        FormField(label: "User (Basic)", name: "user", required: false, autocomplete: "off", hint: "Report URL: the integration user")
                        FormField(label: "Password, token or API key", name: "secret", type: .password, required: false, autocomplete: "new-password",
                                  hint: "Sealed; only its last 4 characters are shown again")
                        FormField(label: "BambooHR subdomain", name: "subdomain", required: false, autocomplete: "off", hint: "BambooHR: acme for acme.bamboohr.com")
                    }
                    .class("form-grid")
                    Button("Add source").class("button primary").attribute(named: "type", value: "submit").id("add-source")
                }
            }
            .class("advanced")
        }
        .class("card")
    }
}
