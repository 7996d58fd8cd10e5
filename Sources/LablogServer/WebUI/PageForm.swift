import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore

/// The fields of a posted HTML form (`application/x-www-form-urlencoded`), and the redirect that answers it.
struct PageForm: Sendable {
    /// The largest form body the pages accept.
    static let maxSize = 1 << 20

    private let fields: [(name: String, value: String)]

    /// Decodes `text` as browsers encode forms (`+` is a space).
    init(encoded text: String) {
        fields = text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    /// Reads the request's body as a form.
    static func read(_ request: Request) async throws -> PageForm {
        let buffer = try await request.body.collect(upTo: maxSize)
        return PageForm(encoded: String(buffer: buffer))
    }

    /// The first value of `name`, or nil.
    func value(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order (checkbox lists repeat their name).
    func values(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    /// The value of `name` with surrounding white space removed, or nil when absent or blank.
    func trimmed(_ name: String) -> String? {
        guard let text = value(name)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            return nil
        }
        return text
    }

    /// The form's `return` field when it is a local path (so a form cannot redirect elsewhere), else `fallback`.
    func returnPath(default fallback: String) -> String {
        guard let path = value("return"), path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\") else {
            return fallback
        }
        return path
    }

    /// A 303 See Other to `location`: the answer to a successful form post, so reloading does not post again.
    static func redirect(to location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
