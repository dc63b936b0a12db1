import EmulatorSupport
import Foundation
import Vapor

/// `GET /_emulator/`: the workspace at a glance: groups and their members, channels with
/// topics and their latest messages.
struct EmulatorPage {
    let workspace: SlackWorkspace

    func response() -> Response {
        let html = workspace.withStorage { storage -> String in
            func name(_ id: String) -> String { HTMLText.escape(storage.users[id].map { "\($0.realName) (\($0.id))" } ?? id) }
            var out = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Slack emulator</title>"
            out += "<style>body{font:15px system-ui;margin:2rem;max-width:60rem}td,th{padding:.25rem .5rem;text-align:left;vertical-align:top}</style></head><body>"
            out += "<h1>Slack emulator: \(HTMLText.escape(storage.teamName))</h1>"
            out += "<p>Plan: \(storage.settings.plan.rawValue) · user groups edited by: \(storage.settings.usergroupEditors.rawValue) · \(storage.users.count) users · \(storage.stats.total) calls</p>"
            out += "<h2>User groups</h2><table><tr><th>Handle</th><th>State</th><th>Members</th></tr>"
            for group in storage.groupOrder.compactMap({ storage.groups[$0] }) {
                out += "<tr><td>@\(HTMLText.escape(group.handle))</td><td>\(group.isEnabled ? "enabled" : "disabled")</td><td>\(group.users.map(name).joined(separator: "<br>"))</td></tr>"
            }
            out += "</table><h2>Channels</h2>"
            for channel in storage.channels.values.filter({ !$0.isIM }).sorted(by: { $0.name < $1.name }) {
                out += "<h3>#\(HTMLText.escape(channel.name)) <small>\(channel.id)</small></h3><p>Topic: \(HTMLText.escape(channel.topic.isEmpty ? "(none)" : channel.topic))</p><ul>"
                for message in channel.messages.suffix(20) { out += "<li>\(name(message.user)): \(HTMLText.escape(message.text))</li>" }
                out += "</ul>"
            }
            let dms = storage.channels.values.filter(\.isIM).flatMap { channel in channel.messages.map { (channel, $0) } }.sorted { $0.1.ts < $1.1.ts }
            out += "<h2>Direct messages</h2><ul>"
            for (channel, message) in dms.suffix(20) {
                out += "<li>to \(name(channel.members.first { $0 != message.user } ?? "")): \(HTMLText.escape(message.text))</li>"
            }
            return out + "</ul></body></html>"
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/html; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: html))
    }
}
