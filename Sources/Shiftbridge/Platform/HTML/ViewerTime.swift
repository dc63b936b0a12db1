import Foundation

/// The viewer's time zone and "now" while a page renders, so every time on it reads in the
/// viewer's zone, with the zone named, and relative to the app's clock. Set per request by
/// `ViewerTimeMiddleware`; outside a request (commands, logs) it is UTC.
enum ViewerTime {
    @TaskLocal static var zone: TimeZone = .gmt
    @TaskLocal static var now: Date?
}
