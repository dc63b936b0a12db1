import Foundation

/// How an HR export's bytes read as text: UTF-8, or Windows-1252 (which also reads
/// ISO-8859-1 files), as older HR systems and spreadsheet programs still write.
public enum TextEncoding: String, Codable, Equatable, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
}
