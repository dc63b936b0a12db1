import Plot

extension PeoplePage {
    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("People")
            Paragraph("Everyone who can be on duty. PagerDuty schedule members are matched to people by email; members who match nobody show as unlinked.").class("muted")
            Form(url: "/people", method: .get) {
                Input(type: .search, name: "query", value: model.query, placeholder: "Search by name or email")
                    .attribute(named: "aria-label", value: "Search people by name or email")
            }
            .class("search")
            if model.people.isEmpty {
                Paragraph(model.query == nil ? "Nobody yet. Add people below, import them from HR, or bind a rotation to a PagerDuty schedule." : "Nobody matches that search.").class("muted")
            } else {
                Div {
                    Table(
                        header: TableRow {
                            TableHeaderCell("Name")
                            TableHeaderCell("Email")
                            TableHeaderCell("Chat")
                            TableHeaderCell("Time zone")
                            TableHeaderCell("Source")
                            if model.slackConnected { TableHeaderCell("Slack") }
                        },
                        rows: {
                            for person in model.people {
                                TableRow {
                                    TableCell(person.name)
                                    TableCell(person.email)
                                    TableCell(person.chatHandle ?? "—")
                                    TableCell(person.timeZone ?? "—")
                                    TableCell { person.linked ? Text(person.source) : Span("unlinked").class("badge badge-warn") }
                                    if model.slackConnected {
                                        TableCell { person.slackID.map { Span("linked").class("badge badge-ok").attribute(named: "title", value: $0) }
                                            ?? Span("not in Slack").class("badge badge-muted") }
                                    }
                                }
                            }
                        }
                    )
                    .class("table")
                }
                .class("table-wrap")
            }
            H2("Add a person")
            if let error = model.error {
                ErrorFlash(message: error)
            }
            Form(url: "/people", method: .post) {
                CSRFField(token: context.csrfToken)
                Div {
                    FormField(label: "Name", name: "name", value: model.input?.name)
                    FormField(label: "Email", name: "email", type: .email, value: model.input?.email)
                    FormField(label: "Chat handle", name: "chat_handle", value: model.input?.chat_handle, required: false)
                    FormField(label: "Time zone", name: "time_zone", value: model.input?.time_zone, required: false, hint: "IANA name, such as Europe/Berlin")
                }
                .class("form-grid")
                Button("Add person").class("button primary").attribute(named: "type", value: "submit")
            }
            .class("card")
        }
    }
}
