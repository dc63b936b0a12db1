import Foundation

/// Where an employee stands in the HR source.
public enum EmploymentStatus: String, Codable, Sendable, CaseIterable {
    case active, leave, terminated
}

/// One employee as the HR source describes them. Dates are ISO `yyyy-MM-dd` strings: they
/// take effect on that day in the configured time zone, not at an instant.
public struct Employee: Codable, Equatable, Sendable {
    public var employeeID: String
    public var email: String
    public var firstName: String?
    public var lastName: String?
    public var fullName: String?
    public var status: EmploymentStatus
    public var startDate: String?
    public var terminationDate: String?
    public var department: String?
    public var title: String?
    public var managerEmail: String?
    public var location: String?
    public var timeZone: String?
    /// Every other column, by its header.
    public var attributes: [String: String]

    public init(employeeID: String, email: String, firstName: String? = nil, lastName: String? = nil, fullName: String? = nil,
                status: EmploymentStatus = .active, startDate: String? = nil, terminationDate: String? = nil, department: String? = nil,
                title: String? = nil, managerEmail: String? = nil, location: String? = nil, timeZone: String? = nil, attributes: [String: String] = [:]) {
        self.employeeID = employeeID
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.fullName = fullName
        self.status = status
        self.startDate = startDate
        self.terminationDate = terminationDate
        self.department = department
        self.title = title
        self.managerEmail = managerEmail
        self.location = location
        self.timeZone = timeZone
        self.attributes = attributes
    }

    /// "First Last", or the full name column.
    public var name: String {
        if let fullName, !fullName.isEmpty { return fullName }
        return [firstName, lastName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Any attribute by its canonical name (as in the default columns) or extra column header.
    public func attribute(_ key: String) -> String? {
        switch key.lowercased() {
        case "employee_id": employeeID
        case "email": email
        case "first_name": firstName
        case "last_name": lastName
        case "name": name
        case "status": status.rawValue
        case "start_date": startDate
        case "termination_date": terminationDate
        case "department": department
        case "title": title
        case "manager_email": managerEmail
        case "location": location
        case "time_zone": timeZone
        default: attributes[key] ?? attributes.first { $0.key.lowercased() == key.lowercased() }?.value
        }
    }

    public static let canonicalAttributes = ["employee_id", "email", "first_name", "last_name", "name", "status", "start_date",
                                             "termination_date", "department", "title", "manager_email", "location", "time_zone"]
}

/// Which CSV header feeds each employee field. The defaults are the documented contract.
public struct ColumnMapping: Codable, Equatable, Sendable {
    public var employeeID = "employee_id"
    public var email = "email"
    public var firstName = "first_name"
    public var lastName = "last_name"
    public var name = "name"
    public var status = "status"
    public var startDate = "start_date"
    public var terminationDate = "termination_date"
    public var department = "department"
    public var title = "title"
    public var managerEmail = "manager_email"
    public var location = "location"
    public var timeZone = "time_zone"

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case employeeID = "employee_id", email, firstName = "first_name", lastName = "last_name", name, status
        case startDate = "start_date", terminationDate = "termination_date", department, title, managerEmail = "manager_email", location, timeZone = "time_zone"
    }

    public init(from decoder: any Decoder) throws {
        try KnownKeys.check(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ColumnMapping.defaults
        employeeID = try c.decodeIfPresent(String.self, forKey: .employeeID) ?? d.employeeID
        email = try c.decodeIfPresent(String.self, forKey: .email) ?? d.email
        firstName = try c.decodeIfPresent(String.self, forKey: .firstName) ?? d.firstName
        lastName = try c.decodeIfPresent(String.self, forKey: .lastName) ?? d.lastName
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? d.name
        status = try c.decodeIfPresent(String.self, forKey: .status) ?? d.status
        startDate = try c.decodeIfPresent(String.self, forKey: .startDate) ?? d.startDate
        terminationDate = try c.decodeIfPresent(String.self, forKey: .terminationDate) ?? d.terminationDate
        department = try c.decodeIfPresent(String.self, forKey: .department) ?? d.department
        title = try c.decodeIfPresent(String.self, forKey: .title) ?? d.title
        managerEmail = try c.decodeIfPresent(String.self, forKey: .managerEmail) ?? d.managerEmail
        location = try c.decodeIfPresent(String.self, forKey: .location) ?? d.location
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone) ?? d.timeZone
    }

    static let defaults = ColumnMapping()
}

/// The HR source's status values for each employment status (case-insensitive).
public struct StatusValues: Codable, Equatable, Sendable {
    public var active: [String] = ["active"]
    public var leave: [String] = ["leave"]
    public var terminated: [String] = ["terminated"]
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case active, leave, terminated }

    public init(from decoder: any Decoder) throws {
        try KnownKeys.check(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        active = try c.decodeIfPresent([String].self, forKey: .active) ?? ["active"]
        leave = try c.decodeIfPresent([String].self, forKey: .leave) ?? ["leave"]
        terminated = try c.decodeIfPresent([String].self, forKey: .terminated) ?? ["terminated"]
    }

    func status(for value: String) -> EmploymentStatus? {
        let value = value.trimmingCharacters(in: .whitespaces).lowercased()
        if active.contains(where: { $0.lowercased() == value }) { return .active }
        if leave.contains(where: { $0.lowercased() == value }) { return .leave }
        if terminated.contains(where: { $0.lowercased() == value }) { return .terminated }
        return nil
    }

    var all: [String] { active + leave + terminated }
}

/// A CSV export turned into employees, all or nothing: any problem rejects the whole file,
/// with every problem listed by line.
public enum EmployeeImport {
    public struct Problem: Codable, Equatable, Sendable {
        public var line: Int
        public var message: String
        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    /// The whole file refused, with every problem found.
    public struct Rejection: Error, Equatable, Sendable {
        public var problems: [Problem]
    }

    /// Longer fields are not HR data; they would only fill the database.
    static let maxFieldBytes = 1000

    /// The file's text in `encoding`, or the first line that is not (or that holds a NUL).
    public static func decode(_ data: Data, encoding: TextEncoding) -> Result<String, Rejection> {
        if let nul = data.firstIndex(of: 0) {
            return .failure(Rejection(problems: [Problem(line: line(of: nul, in: data), message: "holds a NUL character; export the file again as plain text")]))
        }
        switch encoding {
        case .utf8:
            if let text = String(validating: data, as: UTF8.self) { return .success(text) }
            var iterator = data.makeIterator()
            var decoder = UTF8()
            var lineNumber = 1
            while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar):
                    if scalar == "\n" { lineNumber += 1 }
                    continue
                case .emptyInput: return .success(String(decoding: data, as: UTF8.self))
                case .error:
                    return .failure(Rejection(problems: [Problem(line: lineNumber, message:
                        "is not UTF-8 text; save the file as UTF-8 (\"CSV UTF-8\" in Excel), or set the setting encoding to windows-1252 for files from older systems")]))
                }
            }
        case .windows1252:
            // Every byte is a character in Windows-1252 (undefined ones read as C1 controls).
            return .success(String(data.map { Character(Unicode.Scalar(windows1252[Int($0)])!) }))
        }
    }

    private static func line(of index: Data.Index, in data: Data) -> Int {
        data[data.startIndex..<index].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    /// Windows-1252 to Unicode: ISO-8859-1 but for 0x80–0x9F.
    private static let windows1252: [UInt32] = (0..<256).map { byte in
        let high: [UInt32] = [0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
                              0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178]
        return (0x80..<0xA0).contains(byte) ? high[byte - 0x80] : UInt32(byte)
    }

    public static func parse(_ text: String, columns: ColumnMapping = .init(), delimiter: Character = ",",
                             statuses: StatusValues = .init()) -> Result<[Employee], Rejection> {
        switch collect(text, columns: columns, delimiter: delimiter, statuses: statuses) {
        case .success(let employees): .success(employees)
        case .failure(let problems): .failure(Rejection(problems: problems.problems))
        }
    }

    private static func collect(_ text: String, columns: ColumnMapping, delimiter: Character, statuses: StatusValues) -> Result<[Employee], Rejection> {
        let rows: [CSV.Row]
        do {
            rows = try CSV.parse(text, delimiter: delimiter)
        } catch {
            return .failure(Rejection(problems: [Problem(line: error.line, message: error.message)]))
        }
        guard let header = rows.first else { return .failure(Rejection(problems: [Problem(line: 1, message: "the file is empty; the first line must name the columns")])) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var index: [String: Int] = [:]
        var problems: [Problem] = []
        for (position, name) in names.enumerated() {
            if index[name.lowercased()] != nil { problems.append(Problem(line: header.line, message: "column '\(name)' appears twice")) }
            index[name.lowercased()] = position
        }
        func column(_ name: String) -> Int? { index[name.lowercased()] }
        var missing = [columns.employeeID, columns.email, columns.status].filter { column($0) == nil }
        let hasSplitName = column(columns.firstName) != nil && column(columns.lastName) != nil
        if !hasSplitName && column(columns.name) == nil { missing.append("\(columns.firstName) and \(columns.lastName) (or \(columns.name))") }
        if !missing.isEmpty {
            problems.append(Problem(line: header.line, message: "missing column(s): \(missing.joined(separator: ", ")); the header has: \(names.joined(separator: ", "))"))
            return .failure(Rejection(problems: problems))
        }
        let known = Set([columns.employeeID, columns.email, columns.firstName, columns.lastName, columns.name, columns.status, columns.startDate,
                         columns.terminationDate, columns.department, columns.title, columns.managerEmail, columns.location, columns.timeZone].map { $0.lowercased() })
        // Column positions, found once: a file has thousands of rows.
        let positions = (employeeID: column(columns.employeeID), email: column(columns.email), firstName: column(columns.firstName),
                         lastName: column(columns.lastName), name: column(columns.name), status: column(columns.status),
                         startDate: column(columns.startDate), terminationDate: column(columns.terminationDate),
                         department: column(columns.department), title: column(columns.title), managerEmail: column(columns.managerEmail),
                         location: column(columns.location), timeZone: column(columns.timeZone))
        let extras = names.enumerated().filter { !known.contains($0.element.lowercased()) }
        var employees: [Employee] = []
        employees.reserveCapacity(rows.count)
        var zones: [String: Bool] = [:]
        var idLines: [String: Int] = [:]
        var emailLines: [String: Int] = [:]
        for row in rows.dropFirst() {
            guard row.fields.count == names.count else {
                problems.append(Problem(line: row.line, message: "has \(row.fields.count) field(s) where the header has \(names.count)"))
                continue
            }
            if let long = row.fields.firstIndex(where: { $0.utf8.count > maxFieldBytes }) {
                problems.append(Problem(line: row.line, message: "\(names[long]) is longer than \(maxFieldBytes) bytes"))
                continue
            }
            func value(_ position: Int?) -> String? {
                guard let position else { return nil }
                let raw = row.fields[position]
                let text = raw.first == " " || raw.last == " " ? raw.trimmingCharacters(in: .whitespaces) : raw
                return text.isEmpty ? nil : text
            }
            let id = value(positions.employeeID) ?? ""
            if id.isEmpty { problems.append(Problem(line: row.line, message: "\(columns.employeeID) is empty")) }
            else if let first = idLines[id] { problems.append(Problem(line: row.line, message: "\(columns.employeeID) \(id) is also on line \(first)")) }
            else { idLines[id] = row.line }
            let email = (value(positions.email) ?? "").lowercased()
            if !EmailAddress.isValid(email) { problems.append(Problem(line: row.line, message: "\(columns.email) '\(email)' is not an email address")) }
            else if let first = emailLines[email] { problems.append(Problem(line: row.line, message: "\(columns.email) \(email) is also on line \(first)")) }
            else { emailLines[email] = row.line }
            let rawStatus = value(positions.status) ?? ""
            let status = statuses.status(for: rawStatus)
            if status == nil {
                problems.append(Problem(line: row.line, message: "\(columns.status) '\(rawStatus)' is not one of: \(statuses.all.joined(separator: ", "))"))
            }
            for (dateColumn, position) in [(columns.startDate, positions.startDate), (columns.terminationDate, positions.terminationDate)] {
                if let text = value(position), ISODay.parse(text) == nil {
                    problems.append(Problem(line: row.line, message: "\(dateColumn) '\(text)' is not a date as YYYY-MM-DD"))
                }
            }
            if let zone = value(positions.timeZone), !(zones[zone] ?? { let valid = TimeZone(identifier: zone) != nil; zones[zone] = valid; return valid }()) {
                problems.append(Problem(line: row.line, message: "\(columns.timeZone) '\(zone)' is not an IANA time zone such as Europe/Berlin"))
            }
            let first = value(positions.firstName), last = value(positions.lastName), full = value(positions.name)
            if (full ?? "").isEmpty && (first ?? "").isEmpty && (last ?? "").isEmpty {
                problems.append(Problem(line: row.line, message: "no name: fill \(columns.firstName)/\(columns.lastName) or \(columns.name)"))
            } else if (full ?? [first, last].compactMap { $0 }.joined(separator: " ")).count > 100 {
                problems.append(Problem(line: row.line, message: "the name is longer than PagerDuty's 100 characters"))
            }
            var extra: [String: String] = [:]
            for (position, name) in extras {
                extra[name] = row.fields[position].trimmingCharacters(in: .whitespaces)
            }
            employees.append(Employee(employeeID: id, email: email, firstName: first, lastName: last, fullName: full, status: status ?? .active,
                                      startDate: value(positions.startDate), terminationDate: value(positions.terminationDate),
                                      department: value(positions.department), title: value(positions.title),
                                      managerEmail: value(positions.managerEmail)?.lowercased(), location: value(positions.location),
                                      timeZone: value(positions.timeZone), attributes: extra))
        }
        if rows.count < 2 && problems.isEmpty { problems.append(Problem(line: header.line, message: "the file has a header but no employees")) }
        return problems.isEmpty ? .success(employees) : .failure(Rejection(problems: problems))
    }

}

/// Calendar days as `yyyy-MM-dd`, compared as strings (which order correctly).
public enum ISODay {
    public static func parse(_ text: String) -> String? {
        let parts = text.split(separator: "-")
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              parts[0].count == 4, (1...12).contains(month), day >= 1 else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= length ? text : nil
    }

    /// Today's date where the HR source's dates take effect.
    public static func today(at now: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
