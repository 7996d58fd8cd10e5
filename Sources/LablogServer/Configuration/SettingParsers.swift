import Foundation
import Logging

/// What a valid value looks like; thrown by a parser to refuse a value.
struct Expected: Error {
    var text: String
    init(_ text: String) { self.text = text }
}

/// Strict parsers for setting values: each returns a value or throws what was expected, never a fallback.
enum SettingParsers {
    static func port(_ text: String) throws -> Int {
        guard let value = Int(text), (0...65_535).contains(value) else {
            throw Expected("expected an integer between 0 and 65535")
        }
        return value
    }

    static func count(_ text: String, unit: String, allowsZero: Bool) throws -> Int {
        let minimum = allowsZero ? 0 : 1
        guard let value = Int(text), value >= minimum else {
            throw Expected("expected a whole number of \(unit), \(minimum) or more")
        }
        return value
    }

    static func bool(_ text: String) throws -> Bool {
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw Expected("expected true or false (or 1/0, yes/no, on/off)")
        }
    }

    static func logLevel(_ text: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw Expected("expected one of \(names)")
        }
        return level
    }

    static func host(_ text: String) throws -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:")
        guard text.count <= 253, text.allSatisfy(allowed.contains), text.first != "-", text.first != "." else {
            throw Expected("expected a host name or an IP address, such as 127.0.0.1 or 0.0.0.0")
        }
        return text
    }

    static func database(_ text: String) throws -> DatabaseLocation {
        switch DatabaseLocation.parse(text) {
        case .success(let location): return location
        case .failure(let error): throw Expected(error.description)
        }
    }

    static func directory(_ text: String) throws -> String {
        guard !text.utf8.contains(0) else { throw Expected("expected a folder path without NUL characters") }
        return text
    }

    static func corsOrigins(_ text: String) throws -> CORSOrigins {
        switch CORSOrigins.parse(text) {
        case .success(let origins): return origins
        case .failure(let error):
            throw Expected("'\(error.entry)' is not an origin; expected '*' or comma-separated http(s)://host[:port]")
        }
    }

    static func chartColors(_ text: String) throws -> [String] {
        let entries = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return try entries.map { entry in
            let digits = entry.dropFirst()
            guard entry.first == "#", digits.count == 6, digits.allSatisfy(\.isHexDigit) else {
                throw Expected("'\(entry)' is not a colour; expected comma-separated #rrggbb colours")
            }
            return entry.lowercased()
        }
    }

    /// The text with any `user:password@` of a URL masked, so error messages never echo credentials.
    static func redactingCredentials(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://"),
            let at = text[schemeEnd.upperBound...].firstIndex(of: "@")
        else { return text }
        return String(text[..<schemeEnd.upperBound]) + "***" + String(text[at...])
    }
}
