import Foundation
import Vapor

/// A rotation's Slack outputs with what was last applied: `GET …/outputs/slack`.
struct SlackOutputsDTO: Content, Equatable {
    struct GroupState: Content, Equatable {
        let usergroup: String
        let id: String?
        /// Member ids last applied.
        let members: [String]
        let last_success_at: Date?
        let stale_since: Date?
        let pending: Bool
    }
    struct TopicState: Content, Equatable {
        let channel: String
        let topic: String?
        let last_success_at: Date?
        let pending: Bool
    }
    struct State: Content, Equatable {
        /// Handle (or id) → member ids last applied.
        let usergroups: [String: [String]]
        let groups: [GroupState]
        let topic: TopicState?
        let last_success_at: Date?
        let stale_since: Date?
        let problems: [String]
        let linked: Int
        let members: Int
    }
    var on_duty_usergroup: String?
    var permanent_members: [String]
    var roster_usergroup: String?
    var channel: String?
    var topic_template: String?
    var handoff_message_template: String?
    var dm_before_minutes: Int?
    var state: State
}
