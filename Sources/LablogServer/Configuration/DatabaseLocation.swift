import Foundation

/// Where the tracking data lives, parsed from `DATABASE_URL` or `--database`.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite database file at a relative or absolute path.
    case sqliteFile(path: String)
    /// A private in-memory SQLite database that disappears when the process ends.
    case sqliteMemory

    /// `./lablog.db`, the documented default.
    public static let defaultFile = DatabaseLocation.sqliteFile(path: "./lablog.db")

    /// Parses a database URL or a plain file path.
    ///
    /// Accepted forms: `sqlite://relative/path`, `sqlite:///absolute/path`, `sqlite::memory:` (also
    /// `sqlite://:memory:` and `:memory:`), and a plain path. The legacy tracker's SQLAlchemy forms keep working:
    /// `sqlite:///./x.db` is the relative path `./x.db` and `sqlite:////abs/x.db` the absolute path `/abs/x.db`.
    /// - Returns: the location, or a reason the text was refused.
    public static func parse(_ text: String) -> Result<DatabaseLocation, DatabaseURLError> {
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            return .failure(.postgresNotSupported)
        }
        if text == ":memory:" || lowered == "sqlite::memory:" || lowered == "sqlite://:memory:" {
            return .success(.sqliteMemory)
        }
        let path: String
        if lowered.hasPrefix("sqlite://") {
            path = sqlitePath(String(text.dropFirst("sqlite://".count)))
        } else if let schemeEnd = text.range(of: "://") {
            return .failure(.unsupportedScheme(String(text[..<schemeEnd.lowerBound])))
        } else {
            path = text
        }
        if path.isEmpty { return .failure(.emptyPath) }
        if path.contains("?") { return .failure(.queryNotSupported) }
        return .success(.sqliteFile(path: path))
    }

    /// Maps the part after `sqlite://` to a file path, accepting SQLAlchemy's spellings.
    private static func sqlitePath(_ rest: String) -> String {
        if rest.hasPrefix("/./") || rest.hasPrefix("/../") { return String(rest.dropFirst()) }
        if rest.hasPrefix("//") { return "/" + rest.drop { $0 == "/" } }
        return rest
    }

    public var description: String {
        switch self {
        case .sqliteFile(let path): "sqlite://\(path)"
        case .sqliteMemory: "sqlite::memory:"
        }
    }
}

/// Why a database URL was refused.
public enum DatabaseURLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A `postgres://` URL: this build has no PostgreSQL backend yet.
    case postgresNotSupported
    /// A URL scheme other than `sqlite`.
    case unsupportedScheme(String)
    /// `sqlite://` with nothing after it.
    case emptyPath
    /// A URL with `?options`, which no backend reads yet.
    case queryNotSupported

    public var description: String {
        switch self {
        case .postgresNotSupported:
            "PostgreSQL is not supported by this build yet; use sqlite://PATH or a file path"
        case .unsupportedScheme(let scheme):
            "unsupported scheme '\(scheme)'; expected sqlite://PATH, sqlite::memory: or a file path"
        case .emptyPath: "the database path is empty"
        case .queryNotSupported: "query options ('?...') are not supported in the database URL"
        }
    }
}
