import Foundation

/// The People directory: everyone, a search, and the form to add someone.
enum PeoplePage {
    struct Row {
        let name: String
        let email: String
        let chatHandle: String?
        let timeZone: String?
        let source: String
        let linked: Bool
        /// The Slack member matched by email; nil when none (or Slack is not connected).
        let slackID: String?

        init(_ person: Person, slackID: String?) {
            name = person.name
            email = person.email
            chatHandle = person.chatHandle
            timeZone = person.timeZone
            source = person.source.rawValue
            linked = !person.isUnlinked
            self.slackID = slackID
        }
    }

    struct Model {
        let people: [Row]
        let slackConnected: Bool
        let query: String?
        let error: String?
        let input: PeopleDirectory.Input?
    }
}
