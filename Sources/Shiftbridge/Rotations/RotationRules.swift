import Foundation

/// What a rotation's fields may be; each refusal names the field and the limit.
enum RotationRules {
    static let maxCodeLength = 32
    static let maxNameLength = 200
    static let maxDescriptionLength = 2000
    static let maxMembers = 1000
    static let maxOwners = 100
    static let dutySizes = 1...50

    static func code(_ raw: String?) throws -> String {
        let code = (raw ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        guard (1...maxCodeLength).contains(code.count), code.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }) else {
            throw AppError.invalidField("code", "use 1 to \(maxCodeLength) letters, digits or hyphens, such as OPS-PRIMARY")
        }
        return code
    }

    static func name(_ raw: String?) throws -> String {
        let name = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...maxNameLength).contains(name.unicodeScalars.count) else {
            throw AppError.invalidField("name", "give the rotation a name (at most \(maxNameLength) characters)")
        }
        return name
    }

    static func description(_ raw: String?) throws -> String? {
        guard let text = raw?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        guard text.unicodeScalars.count <= maxDescriptionLength else { throw AppError.invalidField("description", "at most \(maxDescriptionLength) characters") }
        return text
    }

    static func dutySize(_ size: Int) throws -> Int {
        guard dutySizes.contains(size) else { throw AppError.invalidField("duty_size", "must be between \(dutySizes.lowerBound) and \(dutySizes.upperBound)") }
        return size
    }

    static func listSizes(_ input: RotationInput) throws {
        if (input.members?.count ?? 0) > maxMembers { throw AppError.invalidField("members", "at most \(maxMembers) people") }
        if (input.owners?.count ?? 0) > maxOwners { throw AppError.invalidField("owners", "at most \(maxOwners) owners") }
    }
}
