import Foundation
import Plot
import ShiftbridgeCore

extension RotationPage {
    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("\(model.name) · \(model.code)")
            if let description = model.description { Paragraph(description).class("muted") }
            if let error = model.error {
                ErrorFlash(message: error)
            }
            if let problem = model.problem {
                Div(problem).class("flash flash-error").attribute(named: "role", value: "status").id("sync-problem")
            }
            Div {
                Article {
                    H2("On duty")
                    if model.onDuty.isEmpty {
                        Paragraph("Nobody: the rotation has no members.").class("muted")
                    } else {
                        List(model.onDuty.map { "\($0.name) (\($0.email))" }).id("on-duty")
                    }
                    if let next = model.nextHandoff {
                        Paragraph { Text("Next handoff: "); When(date: next) }.class("muted")
                    } else {
                        Paragraph("Hands over when someone rotates it.").class("muted")
                    }
                    if !model.sources.isEmpty {
                        Element(name: "dl") {
                            for source in model.sources {
                                FactRow(term: source.source.hasPrefix("level") ? "Paged directly (\(source.source))" : "Schedule \(source.source)",
                                        value: source.onCall.isEmpty ? "nobody now" : source.onCall.joined(separator: ", "))
                            }
                        }
                        .class("facts").id("pd-sources")
                        Paragraph("On duty is everyone above, each once.").class("muted")
                    }
                    if let synced = model.syncedAt {
                        Paragraph("Follows PagerDuty; last synced \(synced.displayString).").class("muted")
                    }
                    if model.canEdit && model.canRotate {
                        Form(url: "/rotations/\(model.code)/rotate", method: .post) {
                            CSRFField(token: context.csrfToken)
                            Button("Rotate now").class("button primary").attribute(named: "type", value: "submit").id("rotate")
                        }
                    }
                }
                .class("card")
                Article {
                    H2("Members")
                    Paragraph("\(model.roster.filter(\.linked).count) of \(model.roster.count) linked").class("badge badge-muted")
                    if model.membersFromPagerDuty {
                        Paragraph("Members come from PagerDuty and cannot be edited here.").class("muted")
                    }
                    if let slack = model.slack, model.slackConnected {
                        Paragraph("\(slack.state.linked) of \(slack.state.members) linked to Slack").class("badge badge-muted").id("slack-linked")
                    }
                    List(model.roster.map { "\($0.name) (\($0.email))\($0.onDuty ? " — on duty" : "")\($0.linked ? "" : " — unlinked")" })
                    Paragraph("Owners: \(model.owners.joined(separator: ", "))").class("muted")
                }
                .class("card")
            }
            .class("tiles")
            H2("Upcoming shifts (14 days)")
            Paragraph("Schedule: \(model.schedule.description)").class("muted")
            if !model.shifts.isEmpty {
                ShiftTimeline(shifts: model.shifts, names: model.names, from: model.now, until: model.now.addingTimeInterval(14 * 86_400), now: model.now,
                              title: "\(model.name), next 14 days")
            }
            Div {
                Table(
                    header: TableRow {
                        TableHeaderCell("From")
                        TableHeaderCell("Until")
                        TableHeaderCell("On duty")
                    },
                    rows: {
                        for shift in model.shifts {
                            TableRow {
                                TableCell(shift.start.displayString)
                                TableCell(shift.end.displayString)
                                TableCell(shift.people.map { model.names[$0] ?? $0 }.joined(separator: ", ") + (shift.isOverride ? " (override)" : ""))
                            }
                        }
                    }
                )
                .class("table")
            }
            .class("table-wrap")
            H2("History")
            if model.history.isEmpty {
                Paragraph("No duty changes or edits yet.").class("muted")
            } else {
                Div {
                    Table(
                        header: TableRow {
                            TableHeaderCell("When")
                            TableHeaderCell("What")
                            TableHeaderCell("Before")
                            TableHeaderCell("After")
                            TableHeaderCell("By")
                        },
                        rows: {
                            for event in model.history {
                                TableRow {
                                    TableCell(event.at.displayString)
                                    TableCell(event.action.title)
                                    TableCell(event.before ?? "")
                                    TableCell(event.after ?? "")
                                    TableCell(event.actor)
                                }
                            }
                        }
                    )
                    .class("table").id("history")
                }
                .class("table-wrap")
            }
            if let slack = model.slack {
                H2("Outputs")
                SlackOutputsPanel(code: model.code, outputs: slack, canEdit: model.canEdit, connected: model.slackConnected, csrf: context.csrfToken)
            }
            if model.canEdit, let external = model.external {
                H2("External: follow a PagerDuty schedule")
                ExternalPanel(code: model.code, external: external, followed: model.schedule.pagerDutyScheduleIDs, csrf: context.csrfToken)
            }
            if model.canEdit {
                H2("Schedule")
                ScheduleEditor(code: model.code, schedule: model.schedule, csrf: context.csrfToken)
            }
        }
    }
}
