import Foundation
import ShiftbridgeCore
import Vapor

/// The rule builder's and the settings fields' forms. Shape buttons post the builder back
/// unsaved; Save turns it into the same rules document the JSON editor saves.
extension ProvisioningController {
    func builder(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let fields = req.formFields
        var form = RuleForm(fields: fields)
        let operation = fields["op"] ?? "save"
        guard operation == "save" else {
            form.apply(operation)
            return try await render(req, ruleForm: form)
        }
        do {
            let rules: RoleRules
            do { rules = try form.roleRules() } catch let error as RuleFormError { throw AppError(.invalid, code: "invalid_rules", error.message) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            _ = try await req.services.provisioningConfiguration(req.db).saveRules(try encoder.encode(rules), actor: user.email)
            req.flash(.success, "Rules saved.")
            return req.redirect(to: "/provisioning#rules")
        } catch let error as AppError {
            return try await render(req, ruleForm: form, error: error.message, status: error.kind.httpStatus)
        }
    }

    /// The live preview beside the builder, for the form as it stands.
    func builderPreview(req: Request) async throws -> ProvisioningAPIController.PreviewDTO {
        _ = try req.requireAdmin()
        let rules: RoleRules
        do { rules = try RuleForm(fields: req.formFields).roleRules() } catch let error as RuleFormError {
            throw AppError(.invalid, code: "invalid_rules", error.message)
        }
        return try await ProvisioningAPIController.preview(rules, req: req)
    }

    struct SettingsFieldsForm: Content {
        var mode: String?
        var run_every_minutes: String?
        var reminder_hours: String?
        var time_zone: String?
        var from_email: String?
        var stages: [String]?
        var process_all: String?
        var do_not_deprovision_on_role_change: String?
        var termination_threshold_percent: String?
        var termination_threshold_count: String?
        var protected_users: String?
        var exclude_from_update: [String]?
        var delimiter: String?
        var encoding: String?
    }

    func saveSettingsFields(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let form = try req.content.decode(SettingsFieldsForm.self)
        // The same document the JSON editor sends, with every field of the form in it.
        var document: [String: Any] = [
            "mode": form.mode ?? "supervised", "stages": form.stages ?? [], "process_all": form.process_all != nil,
            "do_not_deprovision_on_role_change": form.do_not_deprovision_on_role_change != nil,
            "protected_users": (form.protected_users ?? "").split(whereSeparator: { $0 == "\n" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                .filter { !$0.isEmpty },
            "exclude_from_update": form.exclude_from_update ?? [], "delimiter": form.delimiter ?? ",", "encoding": form.encoding ?? "utf-8",
            "time_zone": form.time_zone?.nilIfEmpty ?? "Etc/UTC", "from_email": form.from_email?.nilIfEmpty ?? NSNull(),
        ]
        // The composite parts: `columns.email`, `status_values.active` (a list), `attribute_mapping.name`.
        for (key, value) in req.formFields {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, ["columns", "status_values", "attribute_mapping"].contains(parts[0]) else { continue }
            var part = document[parts[0]] as? [String: Any] ?? [:]
            part[parts[1]] = parts[0] == "status_values"
                ? value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } as Any : value as Any
            document[parts[0]] = part
        }
        do {
            document["run_every_minutes"] = try Self.number(form.run_every_minutes, field: "run_every_minutes") ?? NSNull()
            if let hours = try Self.number(form.reminder_hours, field: "reminder_hours") { document["reminder_hours"] = hours }
            document["termination_threshold_percent"] = try Self.number(form.termination_threshold_percent, field: "termination_threshold_percent", decimal: true) ?? 10
            document["termination_threshold_count"] = try Self.number(form.termination_threshold_count, field: "termination_threshold_count") ?? 25
            _ = try await req.services.provisioningConfiguration(req.db).saveSettings(try JSONSerialization.data(withJSONObject: document), actor: user.email)
            req.flash(.success, "Settings saved.")
            return req.redirect(to: "/provisioning#settings")
        } catch let error as AppError {
            return try await render(req, error: error.message, status: error.kind.httpStatus)
        }
    }

    static func number(_ text: String?, field: String, decimal: Bool = false) throws -> Any? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if decimal, let value = Double(text) { return value }
        if let value = Int(text) { return value }
        throw AppError.invalidField(field, "a number")
    }
}
