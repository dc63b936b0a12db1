import Foundation
import Vapor

/// `shiftbridge provision import FILE`: the whole file, or nothing when any line is wrong.
struct ProvisionImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "The HR export (CSV)") var file: String
    }

    var help: String { "Import an HR export (CSV): the whole file, or nothing when any line is wrong" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            throw AppError.usage("Cannot read \(signature.file); give the path of the CSV export")
        }
        let services = context.application.services
        do {
            let record = try await services.employeeImporter(services.db).importCSV(data, origin: .upload(by: "cli"))
            context.console.print("Imported \(record.rows) employees: \(record.added) added, \(record.changed) changed, \(record.unchanged) unchanged, \(record.absent) no longer in the file.")
        } catch let error as AppError {
            for problem in error.problems ?? [] {
                context.console.error("line \(problem.line.map(String.init) ?? "-"): \(problem.message)")
            }
            throw AppError.usage(error.message)
        }
    }
}
