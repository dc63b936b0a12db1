import Fluent
import Foundation
import ShiftbridgeCore

/// One employee's planned change in a run, persisted with its state before any request.
final class ProvisioningItem: Model, @unchecked Sendable {
    static let schema = "provisioning_items"

    @ID(key: .id) var id: UUID?
    @Parent(key: "run_id") var run: ProvisioningRun
    @Field(key: "position") var position: Int
    @Field(key: "employee_id") var employeeID: String
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Enum(key: "action") var action: ProvisioningPlanner.Action
    @OptionalEnum(key: "stage") var stage: ProvisioningSettings.Stage?
    @Enum(key: "state") var state: ProvisioningItemState
    @OptionalField(key: "reason") var reason: String?
    /// JSON of `ProvisioningPlanner.Item`: the before and after values.
    @Field(key: "plan") var plan: String
    /// What in PagerDuty stops a deletion, and what to do about it.
    @OptionalField(key: "blockers") var blockers: String?
    @OptionalField(key: "pagerduty_user_id") var pagerDutyUserID: String?
    @OptionalField(key: "error") var error: String?
    @Field(key: "updated_at") var updatedAt: Date
    /// The instance applying it now, and until when that claim holds.
    @OptionalField(key: "claimed_by") var claimedBy: String?
    @OptionalField(key: "claimed_until") var claimedUntil: Date?

    init() {}

    /// Done with, one way or another: the claim is given back with the outcome's save.
    func finish(at now: Date) {
        updatedAt = now
        claimedBy = nil
        claimedUntil = nil
    }

    /// The planned change; nil for skipped and unchanged items, which store none.
    var planned: ProvisioningPlanner.Item? {
        get throws { plan.isEmpty ? nil : try StoredJSON.decode(ProvisioningPlanner.Item.self, from: plan, table: Self.schema, id: id, field: "plan") }
    }

    /// "name: Ann → Anne; team Ops as manager": what the item changes, in one line.
    var changeSummary: String {
        let planned: ProvisioningPlanner.Item
        do {
            guard let stored = try self.planned else { return "" }
            planned = stored
        } catch {
            return "(the stored plan cannot be read)"
        }
        let fields = planned.changes.map { "\($0.field): \($0.before.map { "\($0) → " } ?? "")\($0.after ?? "")" }
        let teams = planned.teams.map { change in change.role.map { "team \(change.team) as \($0)" } ?? "leave team \(change.team)" }
        return (fields + teams).joined(separator: "; ")
    }
}
