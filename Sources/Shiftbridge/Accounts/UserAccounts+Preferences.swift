import Fluent
import Foundation

extension UserAccounts {
    /// Sets the zone the dashboard shows `user` times in; nil or empty: the browser's.
    func setTimeZone(_ raw: String?, for user: User) async throws {
        let trimmed = raw?.trimmingCharacters(in: .whitespaces)
        if let trimmed, !trimmed.isEmpty {
            guard trimmed.count <= 64, TimeZone(identifier: trimmed) != nil else {
                throw AppError.invalidField("time_zone", "an IANA time zone such as Europe/Berlin or America/New_York, or empty for the browser's")
            }
            user.timeZone = trimmed
        } else {
            user.timeZone = nil
        }
        try await user.save(on: db)
    }
}
