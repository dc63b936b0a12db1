import Plot

/// The overview a signed-in admin lands on.
extension HomePage {
    static func render(_ model: Model, context: PageContext) -> String {
        Layout.render(context) {
            H1("Overview")
            Div {
                for section in [Section.rotations, .people, .provisioning, .settings] where context.isAdmin || !section.adminOnly {
                    Link(url: section.path) {
                        H2(section.title)
                        Paragraph(summary(section)).class("muted")
                    }
                    .class("card tile")
                }
            }
            .class("tiles")
            H2("Recent activity")
            AuditTable(rows: model.recentEvents)
            Link("Full audit log →", url: Section.audit.path)
        }
    }

    private static func summary(_ section: Section) -> String {
        switch section {
        case .rotations: "Who is on duty, and rotations that follow PagerDuty schedules."
        case .people: "Everyone Shiftbridge knows, matched to PagerDuty by email."
        case .provisioning: "HR-driven hires, changes and terminations in PagerDuty."
        case .settings: "Integrations, webhooks, users and API tokens."
        case .audit: "Every change, who made it, and what it changed."
        }
    }
}
