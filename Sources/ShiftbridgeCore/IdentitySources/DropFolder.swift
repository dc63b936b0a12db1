import Foundation

/// What to do with the files in an HR drop folder (an SFTP drop), decided from a listing:
/// which are whole and may be imported now, in name order, and which are still arriving.
/// A file is still arriving while its name says so (`.part`, `.tmp`, a leading dot), while it
/// was modified in the last `settleSeconds`, or while its size differs from the last look.
public enum DropFolder {
    public struct File: Equatable, Sendable {
        public var name: String
        public var size: Int
        public var modified: Date
        public init(name: String, size: Int, modified: Date) {
            self.name = name
            self.size = size
            self.modified = modified
        }
    }

    public static let settleSeconds: TimeInterval = 2

    public static func ready(_ files: [File], pattern: String, previousSizes: [String: Int], now: Date) -> (ready: [String], arriving: [String]) {
        var ready: [String] = []
        var arriving: [String] = []
        let partialSuffixes = [".part", ".tmp", ".filepart", ".partial"]
        for file in files.sorted(by: { $0.name < $1.name }) {
            // `hr-1.csv.part` is `hr-1.csv` on its way in.
            let suffix = partialSuffixes.first { file.name.lowercased().hasSuffix($0) }
            let finalName = suffix.map { String(file.name.dropLast($0.count)) } ?? file.name
            guard matches(finalName.hasPrefix(".") ? String(finalName.dropFirst()) : finalName, pattern: pattern) else { continue }
            let partial = suffix != nil || file.name.hasPrefix(".")
            let changing = now.timeIntervalSince(file.modified) < settleSeconds || previousSizes[file.name].map { $0 != file.size } ?? false
            if partial || changing { arriving.append(file.name) } else { ready.append(file.name) }
        }
        return (ready, arriving)
    }

    /// Shell-style matching: `*` any run of characters, `?` one character; case-sensitive.
    public static func matches(_ name: String, pattern: String) -> Bool {
        let n = Array(name), p = Array(pattern)
        var (i, j) = (0, 0)
        var star: Int?
        var mark = 0
        while i < n.count {
            if j < p.count && (p[j] == "?" || p[j] == n[i]) { i += 1; j += 1 }
            else if j < p.count && p[j] == "*" { star = j; mark = i; j += 1 }
            else if let s = star { j = s + 1; mark += 1; i = mark }
            else { return false }
        }
        while j < p.count && p[j] == "*" { j += 1 }
        return j == p.count
    }
}
