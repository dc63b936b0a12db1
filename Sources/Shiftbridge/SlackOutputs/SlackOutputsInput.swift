import Foundation
import Vapor

/// `PUT /api/v1/rotations/{id}/outputs/slack` and the Outputs form: any field null or
/// absent is off.
struct SlackOutputsInput: Content, Equatable {
    var on_duty_usergroup: String?
    var permanent_members: [String]?
    var roster_usergroup: String?
    var channel: String?
    var topic_template: String?
    var handoff_message_template: String?
    var dm_before_minutes: Int?
}
