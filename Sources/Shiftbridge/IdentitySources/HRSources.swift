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
        source.settings = settings
        try setSecret(secret, on: source)
        source.nextRunAt = clock.now()
        source.importedDigests = "[]"
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
        let (settings, secret) = try input.apply(to: source.settings, kind: source.kind, hasSecret: source.sealedSecret != nil, policy: fetcher.policy, dropRoots: dropRoots)
        if let name = input.name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty { source.name = name }
        if let minutes = input.every_minutes { source.everyMinutes = minutes }
        source.settings = settings
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

    /// Runs every source whose time has come (the `hr-sources` job).
    func runDue() async throws {
        for source in try await HRSource.query(on: db).filter(\.$nextRunAt <= clock.now()).all() {
            _ = try await run(source)
        }
    }

    /// One run of a source: fetch, import whole or reject whole, then plan.
    @discardableResult
    func run(_ source: HRSource) async throws -> HRSource {
        let now = clock.now()
        let actor = "source:\(source.name)"
        var messages: [String] = []
        var result = HRSource.Result.unchanged
        var imported = false
        do {
            switch source.kind {
            case .folder:
                let folder = DropFolderAccess(folder: source.settings.path ?? "", roots: dropRoots, maxFileBytes: EmployeeImporter.maxFileBytes)
                let real = try folder.resolvedFolder()
                let processed = try folder.subfolder("processed", in: real), rejected = try folder.subfolder("rejected", in: real)
                let stamp = Int(now.timeIntervalSince1970)
                let (ready, arriving) = try await fetcher.folderFiles(folder, real: real, pattern: source.settings.pattern ?? "*.csv")
                func reject(_ name: String, _ problems: [String]) throws {
                    let moved = try folder.move(name, in: real, to: rejected, stamp: stamp)
                    try folder.write(problems.joined(separator: "\n") + "\n", named: "\(moved).errors.txt", in: rejected)
                    messages.append("\(name): rejected whole, \(max(problems.count - 1, 1)) problem(s) listed in rejected/\(moved).errors.txt")
                    if result != .imported { result = .rejected }
                }
                for name in ready {
                    let data: Data
                    switch folder.read(name, in: real) {
                    case .refused(let reason):
                        try reject(name, [reason])
                        continue
                    case .data(let read): data = read
                    }
                    let digest = HRSourceFetcher.digest(data)
                    if source.digests.contains(digest) {
                        _ = try folder.move(name, in: real, to: processed, stamp: stamp)
                        messages.append("\(name): the same content was imported before; not imported again")
                        continue
                    }
                    do {
                        let record = try await importer.importCSV(data, actor: actor)
                        source.digests.append(digest)
                        _ = try folder.move(name, in: real, to: processed, stamp: stamp)
                        messages.append("\(name): imported (\(record.added) added, \(record.changed) changed, \(record.unchanged) unchanged)")
                        imported = true
                        result = .imported
                    } catch let error as AppError where error.kind == .invalid {
                        try reject(name, [error.message] + (error.problems ?? []).map { problem in problem.line.map { "line \($0): \(problem.message)" } ?? problem.message })
                    }
                }
                if arriving > 0 {
                    messages.append("\(arriving) file(s) still arriving")
                    if ready.isEmpty { result = .waiting }
                }
                if ready.isEmpty && arriving == 0 { messages.append("No new file") }
            case .url, .bamboohr:
                let secret = try source.sealedSecret.map { try secrets.open($0) }
                let fetched = source.kind == .url ? try await fetcher.report(source.settings, secret: secret)
                                                  : try await fetcher.bamboo(source.settings, apiKey: secret ?? "")
                if source.digests.last == fetched.digest {
                    messages.append("The report has not changed since it was last imported")
                } else {
                    do {
                        let record = try await importer.importCSV(fetched.csv, actor: actor, canonical: fetched.canonical)
                        source.digests.append(fetched.digest)
                        messages.append("Imported from \(fetched.label) (\(record.added) added, \(record.changed) changed, \(record.unchanged) unchanged)")
                        imported = true
                        result = .imported
                    } catch let error as AppError where error.kind == .invalid {
                        messages.append("Rejected whole: \(error.message)")
                        result = .rejected
                    }
                }
            }
            source.failingSince = result == .rejected ? (source.failingSince ?? now) : nil
        } catch {
            result = .failed
            messages.append((error as? HRSourceFetcher.FetchError)?.description ?? (error as? DropFolderAccess.Refusal)?.description
                ?? (error as? AppError)?.message ?? String(describing: error).prefix(300).description)
            source.failingSince = source.failingSince ?? now
            logger.warning("HR source failed", metadata: ["source": "\(source.name)", "error": "\(messages.last ?? "")"])
        }
        if imported {
            do {
                _ = try await runs.start(dryRun: false, actor: actor)
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
}
