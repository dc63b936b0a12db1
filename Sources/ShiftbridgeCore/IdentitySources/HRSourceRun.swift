import Foundation

/// What one run of an HR source does with what it read, decided apart from the reading and
/// the writing: each dropped file imported, set aside as already imported, or rejected whole;
/// a report imported or left as unchanged; and the run summed up in one word and a message.
public enum HRSourceRun {
    /// How a run ended, as the source shows it.
    public enum Result: String, Codable, Sendable, Equatable { case imported, unchanged, waiting, rejected, failed }

    /// What was read of one dropped file.
    public enum Read: Equatable, Sendable {
        case content(digest: String)
        /// Not read, and why (a link, over the size limit, unreadable).
        case refused(String)
    }

    /// What to do with one dropped file.
    public enum Step: Equatable, Sendable {
        case importFile
        /// The same content was imported before: moved to `processed/`, not imported again.
        case setAside
        /// Moved to `rejected/`, with these problems written beside it.
        case reject([String])
    }

    public static func step(for read: Read, importedDigests: [String]) -> Step {
        switch read {
        case .refused(let reason): .reject([reason])
        case .content(let digest): importedDigests.contains(digest) ? .setAside : .importFile
        }
    }

    /// A report is imported unless it is what was imported last.
    public static func importsReport(digest: String, importedDigests: [String]) -> Bool {
        importedDigests.last != digest
    }

    /// What happened, file by file (or to the report).
    public enum Outcome: Equatable, Sendable {
        case imported(String, added: Int, changed: Int, unchanged: Int)
        case setAside(String)
        /// `errors`: the file the problems were written to (nil for a report).
        case rejected(String, problems: [String], errors: String?)
        case unchangedReport
    }

    /// The run in one word and a message, from what happened and how many files are still arriving.
    public static func summary(_ outcomes: [Outcome], arriving: Int = 0, isFolder: Bool) -> (result: Result, messages: [String]) {
        var messages: [String] = []
        var imported = false, rejected = false
        for outcome in outcomes {
            switch outcome {
            case .imported(let name, let added, let changed, let unchanged):
                imported = true
                messages.append(isFolder ? "\(name): imported (\(added) added, \(changed) changed, \(unchanged) unchanged)"
                                         : "Imported from \(name) (\(added) added, \(changed) changed, \(unchanged) unchanged)")
            case .setAside(let name):
                messages.append("\(name): the same content was imported before; not imported again")
            case .rejected(let name, let problems, let errors):
                rejected = true
                if let errors {
                    messages.append("\(name): rejected whole, \(max(problems.count - 1, 1)) problem(s) listed in rejected/\(errors)")
                } else {
                    messages.append("Rejected whole: \(problems.first ?? name)")
                }
            case .unchangedReport:
                messages.append("The report has not changed since it was last imported")
            }
        }
        if arriving > 0 { messages.append("\(arriving) file(s) still arriving") }
        if isFolder && outcomes.isEmpty && arriving == 0 { messages.append("No new file") }
        let result: Result = imported ? .imported : rejected ? .rejected : (outcomes.isEmpty && arriving > 0 ? .waiting : .unchanged)
        return (result, messages)
    }
}
