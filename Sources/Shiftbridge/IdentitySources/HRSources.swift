import Fluent
import Foundation
import Logging
import ShiftbridgeCore

/// HR sources: kept, listed, run on their schedule or on demand. A run fetches what the
/// source offers, imports each file or report whole through the same checks as an upload
/// (or rejects it whole), and then plans a provisioning run like any import.
struct HRSources {
    let db: any Database
    let clock: any AppClock
    let secrets: SecretBox
    let fetcher: HRSourceFetcher
    let importer: EmployeeImporter
    let runs: ProvisioningRuns
    let dropRoots: [String]
    let unreadable: UnreadableRecords
    let logger: Logger

    func list() async throws -> [HRSource] {
        try await HRSource.query(on: db).sort(\.$name).all()
    }

    func find(_ id: UUID?) async throws -> HRSource {
        guard let id, let source = try await HRSource.find(id, on: db) else { throw AppError.notFound("HR source") }
        return source
    }

    func create(_ input: HRSourceInput, actor: String) async throws -> HRSource {
        guard let kind = input.kind else { throw AppError.invalidField("kind", "folder, url or bamboohr") }
        let name = (input.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else { throw AppError.invalidField("name", "name the source, such as 'Workday export' (at most 100 characters)") }
        let (settings, secret) = try input.apply(to: HRSourceSettings(), kind: kind, hasSecret: false, policy: fetcher.policy, dropRoots: dropRoots)
        if kind != .folder && secret == nil && !(kind == .url && input.auth == nil) {
            throw AppError.invalidField("api_key", "BambooHR needs the API key")
        }
        guard try await HRSource.query(on: db).filter(\.$name == name).first() == nil else {
            throw AppError(.conflict, code: "duplicate_name", "A source is already called \(name)")
        }
        let source = HRSource()
        source.name = name
        source.kind = kind
        source.everyMinutes = input.every_minutes ?? 60
        source.store(settings: settings)
        try setSecret(secret, on: source)
        source.nextRunAt = clock.now()
        source.store(digests: [])
        source.createdAt = clock.now()
        try await db.transaction { db in
            try await source.create(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: actor, .provisioningSourceSaved, .provisioning("source"),
                                        after: "\(kind.rawValue) source '\(name)'")
        }
        return source
    }

    func update(_ source: HRSource, _ input: HRSourceInput, actor: String) async throws -> HRSource {
        if let kind = input.kind, kind != source.kind { throw AppError.invalidField("kind", "a source's kind cannot change: add a new source") }
        // Settings that cannot be read are replaced by what this update gives (that is the fix).
        let (settings, secret) = try input.apply(to: (try? source.settings) ?? HRSourceSettings(), kind: source.kind, hasSecret: source.sealedSecret != nil, policy: fetcher.policy, dropRoots: dropRoots)
        if let name = input.name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty { source.name = name }
        if let minutes = input.every_minutes { source.everyMinutes = minutes }
        source.store(settings: settings)
        if let secret { try setSecret(secret, on: source) }
        try await db.transaction { db in
            try await source.save(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: actor, .provisioningSourceSaved, .provisioning("source"),
                                        after: "\(source.kind.rawValue) source '\(source.name)'")
        }
        return source
    }

    func delete(_ source: HRSource, actor: String) async throws {
        try await db.transaction { db in
            try await source.delete(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: actor, .provisioningSourceDeleted, .provisioning("source"),
                                        before: "\(source.kind.rawValue) source '\(source.name)'")
        }
    }

    private func setSecret(_ secret: String?, on source: HRSource) throws {
        guard let secret else { return }
        source.sealedSecret = try secrets.seal(secret)
        source.secretLast4 = SecretBox.last4(secret)
    }

    /// Makes a source due now: the `hr-sources` job runs it within seconds.
    func requestRun(_ source: HRSource) async throws -> HRSource {
        source.nextRunAt = clock.now()
        try await source.save(on: db)
        return source
    }

    /// Runs every source whose time has come (the `hr-sources` job); one whose stored row
    /// cannot be read is skipped (and said once in the log).
    func runDue() async throws {
        for source in try await HRSource.query(on: db).filter(\.$nextRunAt <= clock.now()).all() {
            do {
                _ = try source.settings
                _ = try source.digests
            } catch let error as UnreadableRecord {
                unreadable.skip(error, by: "hr-sources")
                continue
            }
            _ = try await run(source)
        }
    }

    /// One run of a source: read what it offers, decide what to do with each part
    /// (`HRSourceRun`), import whole or reject whole, then plan.
    @discardableResult
    func run(_ source: HRSource) async throws -> HRSource {
        let now = clock.now()
        var outcomes: [HRSourceRun.Outcome] = []
        var arriving = 0
        var result: HRSource.Result
        var messages: [String]
        do {
            let settings = try source.settings
            var digests = try source.digests
            switch source.kind {
            case .folder:
                arriving = try await runFolder(settings, digests: &digests, outcomes: &outcomes, origin: .hrSource(name: source.name), now: now)
            case .url, .bamboohr:
                let secret = try source.sealedSecret.map { try secrets.open($0) }
                let fetched = source.kind == .url ? try await fetcher.report(settings, secret: secret) : try await fetcher.bamboo(settings, apiKey: secret ?? "")
                if HRSourceRun.importsReport(digest: fetched.digest, importedDigests: digests) {
                    do {
                        let record = try await importer.importCSV(fetched.csv, origin: .hrSource(name: source.name), canonical: fetched.canonical)
                        digests.append(fetched.digest)
                        outcomes.append(.imported(fetched.label, added: record.added, changed: record.changed, unchanged: record.unchanged))
                    } catch let error as AppError where error.kind == .invalid {
                        outcomes.append(.rejected(fetched.label, problems: [error.message], errors: nil))
                    }
                } else {
                    outcomes.append(.unchangedReport)
                }
            }
            source.store(digests: digests)
            (result, messages) = HRSourceRun.summary(outcomes, arriving: arriving, isFolder: source.kind == .folder)
            source.failingSince = result == .rejected ? (source.failingSince ?? now) : nil
        } catch {
            // Whatever was done before the failure is still said.
            messages = HRSourceRun.summary(outcomes, arriving: arriving, isFolder: false).messages.filter { !$0.hasPrefix("No new") }
            result = .failed
            messages.append((error as? HRSourceFetcher.FetchError)?.description ?? (error as? DropFolderAccess.Refusal)?.description
                ?? (error as? AppError)?.message ?? (error as? UnreadableRecord)?.description ?? String(describing: error).prefix(300).description)
            source.failingSince = source.failingSince ?? now
            logger.warning("HR source failed", metadata: ["source": "\(source.name)", "error": "\(messages.last ?? "")"])
        }
        if outcomes.contains(where: { if case .imported = $0 { true } else { false } }) {
            do {
                _ = try await runs.start(dryRun: false, actor: ImportOrigin.hrSource(name: source.name).actor)
                messages.append("a provisioning run was planned")
            } catch let error as AppError where error.code == "run_in_progress" || error.code == "not_connected" || error.code == "read_only" {
                messages.append("not planned yet: \(error.message)")
            }
        }
        source.lastRunAt = now
        source.lastResult = result
        source.lastMessage = String(messages.joined(separator: "; ").prefix(2000))
        source.nextRunAt = now.addingTimeInterval(Double(source.everyMinutes) * 60)
        try await source.save(on: db)
        return source
    }

    /// A drop folder's whole files: each read, decided, then imported and moved to
    /// `processed/`, or moved to `rejected/` with its problems. Returns how many still arrive.
    private func runFolder(_ settings: HRSourceSettings, digests: inout [String], outcomes: inout [HRSourceRun.Outcome], origin: ImportOrigin,
                           now: Date) async throws -> Int {
        let folder = DropFolderAccess(folder: settings.path ?? "", roots: dropRoots, maxFileBytes: EmployeeImporter.maxFileBytes)
        let real = try folder.resolvedFolder()
        let processed = try folder.subfolder("processed", in: real), rejected = try folder.subfolder("rejected", in: real)
        let stamp = Int(now.timeIntervalSince1970)
        let (ready, arriving) = try await fetcher.folderFiles(folder, real: real, pattern: settings.pattern ?? "*.csv")
        func reject(_ name: String, _ problems: [String]) throws {
            let moved = try folder.move(name, in: real, to: rejected, stamp: stamp)
            try folder.write(problems.joined(separator: "\n") + "\n", named: "\(moved).errors.txt", in: rejected)
            outcomes.append(.rejected(name, problems: problems, errors: "\(moved).errors.txt"))
        }
        for name in ready {
            let read = folder.read(name, in: real)
            let seen: HRSourceRun.Read = switch read {
            case .refused(let reason): .refused(reason)
            case .data(let data): .content(digest: HRSourceFetcher.digest(data))
            }
            switch HRSourceRun.step(for: seen, importedDigests: digests) {
            case .reject(let problems):
                try reject(name, problems)
            case .setAside:
                _ = try folder.move(name, in: real, to: processed, stamp: stamp)
                outcomes.append(.setAside(name))
            case .importFile:
                guard case .data(let data) = read, case .content(let digest) = seen else { continue }
                do {
                    let record = try await importer.importCSV(data, origin: origin)
                    digests.append(digest)
                    _ = try folder.move(name, in: real, to: processed, stamp: stamp)
                    outcomes.append(.imported(name, added: record.added, changed: record.changed, unchanged: record.unchanged))
                } catch let error as AppError where error.kind == .invalid {
                    try reject(name, [error.message] + (error.problems ?? []).map { problem in problem.line.map { "line \($0): \(problem.message)" } ?? problem.message })
                }
            }
        }
        return arriving
    }
}
