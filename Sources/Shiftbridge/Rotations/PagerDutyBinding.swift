import Foundation
import ShiftbridgeCore

/// What binding a rotation to PagerDuty needs from the sync, given by the composition root
/// (rotations do not depend on the PagerDuty sync): check its sources exist, read them now.
struct PagerDutyBinding: Sendable {
    /// Throws when a schedule or policy the rotation would follow does not exist or cannot be read.
    let check: @Sendable (RotationSchedule) async throws -> Void
    let sync: @Sendable (Rotation) async -> Void
}
