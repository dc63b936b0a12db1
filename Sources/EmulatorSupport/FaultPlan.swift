import Foundation

/// Injected failures: a share of matching requests fail in one of the listed ways.
public struct FaultPlan: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case tooManyRequests = "429", serverError = "500", timeout, malformed }
    public var rate: Double
    public var kinds: [Kind]
    public var paths: [String]  // prefixes; empty = all
    public var methods: [String] = []  // empty = all
    /// `before`: the request fails without effect; `after`: it takes effect, then the response is lost.
    public var after: Bool
    public var timeoutSeconds: Double

    public init(rate: Double, kinds: [Kind], paths: [String] = [], methods: [String] = [], after: Bool = false, timeoutSeconds: Double = 30) {
        self.rate = rate
        self.kinds = kinds
        self.paths = paths
        self.methods = methods
        self.after = after
        self.timeoutSeconds = timeoutSeconds
    }

    /// Reads a control request: `{"rate": 0…1, "kinds": [...], "paths"?, "methods"?, "when"?: "after",
    /// "timeout_seconds"?}`. Throws a message that says what to fix.
    public static func parse(_ body: JSON?) throws(ControlRequestError) -> FaultPlan {
        guard let body, let rate = body["rate"]?.number, (0...1).contains(rate) else {
            throw ControlRequestError(message: "rate must be a number from 0 to 1")
        }
        let kindNames = (body["kinds"]?.array ?? []).compactMap(\.string)
        let kinds = kindNames.compactMap(Kind.init(rawValue:))
        guard kinds.count == kindNames.count, !kinds.isEmpty else {
            throw ControlRequestError(message: "kinds must list some of: \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return FaultPlan(rate: rate, kinds: kinds, paths: (body["paths"]?.array ?? []).compactMap(\.string),
                         methods: (body["methods"]?.array ?? []).compactMap { $0.string?.uppercased() },
                         after: body["when"]?.string == "after", timeoutSeconds: body["timeout_seconds"]?.number ?? 30)
    }

    /// Draws whether this request fails, and how.
    public func draw(_ random: inout SeededGenerator) -> Kind? {
        guard !kinds.isEmpty, Double(random.next() % 1_000_000) / 1_000_000 < rate else { return nil }
        return kinds[Int(random.next() % UInt64(kinds.count))]
    }

    public func applies(to path: String, method: String) -> Bool {
        (paths.isEmpty || paths.contains { path.hasPrefix($0) }) && (methods.isEmpty || methods.contains(method.uppercased()))
    }
}
