import Foundation

/// What binding a rotation to PagerDuty needs from the sync, given by the composition root
/// (rotations do not depend on the PagerDuty sync): check a schedule exists, read it now.
struct PagerDutyBinding: Sendable {
    /// Throws when the schedule does not exist or cannot be read.
    let check: @Sendable (String) async throws -> Void
    let sync: @Sendable (Rotation) async -> Void
}
