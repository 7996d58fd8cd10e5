import Foundation

/// The origins browsers may call the API from, parsed from `CORS_ORIGINS`.
public enum CORSOrigins: Sendable, Equatable {
    /// No CORS headers: only pages served by Lablog itself can call the API (the default).
    case sameOrigin
    /// Any origin (`*`).
    case any
    /// Exactly these origins, each `scheme://host[:port]`.
    case list([String])

    /// Parses `*` or a comma-separated list of `http(s)://host[:port]` origins.
    /// - Returns: the origins, or the entry that is not a valid origin.
    public static func parse(_ text: String) -> Result<CORSOrigins, CORSOriginsError> {
        let entries = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        if entries == ["*"] { return .success(.any) }
        var origins: [String] = []
        for entry in entries {
            guard let origin = normalizedOrigin(entry) else { return .failure(CORSOriginsError(entry: entry)) }
            if !origins.contains(origin) { origins.append(origin) }
        }
        return .success(.list(origins))
    }

    /// Lowercases the scheme and host and drops one trailing `/`; nil when `entry` is not an origin.
    private static func normalizedOrigin(_ entry: String) -> String? {
        var text = entry
        if text.hasSuffix("/") { text.removeLast() }
        guard let separator = text.range(of: "://") else { return nil }
        let scheme = text[..<separator.lowerBound].lowercased()
        let authority = text[separator.upperBound...]
        guard scheme == "http" || scheme == "https", !authority.isEmpty else { return nil }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        guard authority.allSatisfy(allowed.contains), authority.first != ":" else { return nil }
        return "\(scheme)://\(authority.lowercased())"
    }
}

/// A `CORS_ORIGINS` entry that is neither `*` nor an `http(s)://host[:port]` origin.
public struct CORSOriginsError: Error, Sendable, Equatable {
    /// The refused entry.
    public var entry: String
}
