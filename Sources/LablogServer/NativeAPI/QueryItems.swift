import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import LablogCore

/// The query string of a request, decoded as HTML forms encode it (`+` is a space), with the raw text kept so a
/// `Link` header can repeat the parameters exactly.
///
/// Hummingbird's own query map leaves `+` undecoded, which would turn Python's `filter=metrics.acc+%3E+0.9` into
/// a filter with plus signs.
struct QueryItems {
    private struct Item {
        var name: String
        var value: String
        var raw: Substring
    }

    private let items: [Item]

    init(_ uri: URI) {
        guard let query = uri.query, !query.isEmpty else {
            items = []
            return
        }
        items = query.split(separator: "&", omittingEmptySubsequences: true).map { raw in
            let parts = raw.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? Self.formDecode(parts[1]) : ""
            return Item(name: Self.formDecode(parts[0]), value: value, raw: raw)
        }
    }

    /// The first value of `name`, or nil when it is absent.
    func value(_ name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    func values(_ name: String) -> [String] {
        items.filter { $0.name == name }.map(\.value)
    }

    /// Every value of `name`, each also split at commas: `a=1&a=2,3` gives `1`, `2`, `3`.
    func commaSeparatedValues(_ name: String) -> [String] {
        values(name).flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// The query of the next page: every parameter as the client sent it, with `cursor` replaced.
    func query(withCursor cursor: String) -> String {
        let kept = items.filter { $0.name != "cursor" }.map { String($0.raw) }
        return (kept + ["cursor=" + Paths.percentEncode(cursor)]).joined(separator: "&")
    }

    private static func formDecode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

extension QueryItems {
    /// The `limit` parameter.
    /// - Throws: ``LablogError/badRequest(_:)`` unless it is an integer from 1 to `maximum`.
    func limit(default defaultValue: Int, maximum: Int) throws -> Int {
        guard let text = value("limit") else { return defaultValue }
        guard let limit = Int(text), (1...maximum).contains(limit) else {
            throw LablogError.badRequest("'limit' must be an integer from 1 to \(maximum), not '\(text)'")
        }
        return limit
    }

    /// The `cursor` parameter; an empty one means the first page.
    var cursor: String? {
        guard let cursor = value("cursor"), !cursor.isEmpty else { return nil }
        return cursor
    }

    /// The `lifecycle` parameter (`active`, `deleted` or `all`; `active` when absent).
    func lifecycle() throws -> LifecycleFilter {
        try enumeration("lifecycle", default: .active)
    }

    /// A parameter whose value must be one of an enumeration's raw values (case-insensitive).
    func enumeration<Value: RawRepresentable & CaseIterable>(_ name: String, default defaultValue: Value) throws
        -> Value where Value.RawValue == String
    {
        guard let text = value(name), !text.isEmpty else { return defaultValue }
        guard let value = Value(rawValue: text.lowercased()) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw LablogError.badRequest("'\(name)' must be one of \(allowed), not '\(text)'")
        }
        return value
    }

    /// A boolean parameter: `true`/`false`/`1`/`0` (case-insensitive).
    func flag(_ name: String) throws -> Bool {
        guard let text = value(name) else { return false }
        switch text.lowercased() {
        case "true", "1", "yes", "": return true
        case "false", "0", "no": return false
        default: throw LablogError.badRequest("'\(name)' must be true or false, not '\(text)'")
        }
    }

    /// An optional integer parameter.
    func integer(_ name: String) throws -> Int64? {
        guard let text = value(name), !text.isEmpty else { return nil }
        guard let number = Int64(text) else {
            throw LablogError.badRequest("'\(name)' must be an integer, not '\(text)'")
        }
        return number
    }
}
