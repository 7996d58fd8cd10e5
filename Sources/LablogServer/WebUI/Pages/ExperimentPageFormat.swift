import Foundation
import Hummingbird
import HummingbirdCore
import LablogCore

/// Formatting shared by the runs table and the compare page: order-by clauses and page URLs.
enum PageFormat {
    /// The order-by field text for a column (`metrics.`acc``), or nil when the key cannot be quoted.
    static func orderField(prefix: String, key: String) -> String? {
        if !key.contains("`") { return "\(prefix).`\(key)`" }
        if !key.contains("\"") { return "\(prefix).\"\(key)\"" }
        return nil
    }
}

/// An ordered list of query parameters, for building the links and forms of a page.
struct PageQuery: Sendable {
    private(set) var items: [(name: String, value: String)] = []

    /// Appends a parameter; nil or empty values are left out.
    mutating func add(_ name: String, _ value: String?) {
        guard let value, !value.isEmpty else { return }
        items.append((name, value))
    }

    /// Appends a parameter once per value.
    mutating func add(_ name: String, each values: [String]) {
        for value in values { add(name, value) }
    }

    /// A copy without the parameters named.
    func removing(_ names: Set<String>) -> PageQuery {
        var copy = self
        copy.items.removeAll { names.contains($0.name) }
        return copy
    }

    /// `path?a=1&b=2`, or `path` when there are no parameters.
    func url(_ path: String) -> String {
        guard !items.isEmpty else { return path }
        return path + "?" + encoded
    }

    /// The parameters as a query string without the `?`.
    var encoded: String {
        items.map { Paths.percentEncode($0.name) + "=" + Paths.percentEncode($0.value) }.joined(separator: "&")
    }

    /// The parameters as hidden form fields.
    var hiddenFields: [HiddenField] { items.map { HiddenField(name: $0.name, value: $0.value) } }
}

/// A hidden form field that carries page state through a form submission.
struct HiddenField: Sendable {
    let name: String
    let value: String
}
