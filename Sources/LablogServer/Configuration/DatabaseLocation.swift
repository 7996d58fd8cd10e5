import Foundation
import LablogCore
public import LablogPostgres

/// Where the tracking data lives, parsed from `DATABASE_URL` or `--database`.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite database file at a relative or absolute path.
    case sqliteFile(path: String)
    /// A private in-memory SQLite database that disappears when the process ends.
    case sqliteMemory
    /// A PostgreSQL database, which several Lablog processes may share.
    case postgres(PostgresLocation)

    /// `./lablog.db`, the documented default.
    public static let defaultFile = DatabaseLocation.sqliteFile(path: "./lablog.db")

    /// Parses a database URL or a plain file path.
    ///
    /// Accepted forms: `postgres://user:password@host:port/database` (or `postgresql://`, see
    /// ``PostgresLocation`` for its options), `sqlite://relative/path`, `sqlite:///absolute/path`,
    /// `sqlite::memory:` (also `sqlite://:memory:` and `:memory:`), and a plain path. The legacy tracker's
    /// SQLAlchemy forms keep working: `sqlite:///./x.db` is the relative path `./x.db` and `sqlite:////abs/x.db`
    /// the absolute path `/abs/x.db`.
    /// - Returns: the location, or a reason the text was refused.
    public static func parse(_ text: String) -> Result<DatabaseLocation, DatabaseURLError> {
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            do {
                return .success(.postgres(try PostgresLocation(url: text)))
            } catch let error as LablogError {
                guard case .invalidValue(_, let reason) = error else {
                    return .failure(.invalidPostgresURL("\(error)"))
                }
                return .failure(.invalidPostgresURL(reason))
            } catch {
                return .failure(.invalidPostgresURL("\(error)"))
            }
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
        // Never the password: the description goes to logs.
        case .postgres(let location): "postgres://\(location.username)@\(location)"
        }
    }
}

/// Why a database URL was refused.
public enum DatabaseURLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A malformed `postgres://` URL, with the reason (never the password).
    case invalidPostgresURL(String)
    /// A URL scheme other than `sqlite`.
    case unsupportedScheme(String)
    /// `sqlite://` with nothing after it.
    case emptyPath
    /// A URL with `?options`, which no backend reads yet.
    case queryNotSupported

    public var description: String {
        switch self {
        case .invalidPostgresURL(let reason): reason
        case .unsupportedScheme(let scheme):
            "unsupported scheme '\(scheme)'; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE, sqlite://PATH, "
                + "sqlite::memory: or a file path"
        case .emptyPath: "the database path is empty"
        case .queryNotSupported: "query options ('?...') are not supported in the database URL"
        }
    }
}
