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

        init(_ person: Person) {
            name = person.name
            email = person.email
            chatHandle = person.chatHandle
            timeZone = person.timeZone
            source = person.source.rawValue
            linked = !person.isUnlinked
        }
    }

    struct Model {
        let people: [Row]
        let query: String?
        let error: String?
        let input: PeopleDirectory.Input?
    }
}
