import Vapor

/// `shiftbridge provision import FILE` and `shiftbridge provision run [--dry-run] [--apply]`.
struct ProvisionCommand: AsyncCommandGroup {
    var help: String { "Provision PagerDuty users from the HR export" }
    var commands: [String: any AnyAsyncCommand] {
        ["import": ProvisionImportCommand(), "run": ProvisionRunCommand()]
    }
}
