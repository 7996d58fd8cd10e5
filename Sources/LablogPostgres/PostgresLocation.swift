import Foundation
import LablogCore

/// Where a PostgreSQL database lives and how to reach it, parsed from a
/// `postgres://user:password@host:port/database?sslmode=...&schema=...` URL.
///
/// Recognised query parameters: `sslmode` (`disable`, `allow`, `prefer` (the default), `require`, `verify-ca`,
/// `verify-full`, as libpq spells them) and `schema` (the schema Lablog's tables live in; created on migration
/// when missing; `public` by default).
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// How the connection uses TLS.
    public enum TLSMode: String, Sendable, Equatable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it, without checking its certificate.
        case prefer
        /// TLS always, without checking the server's certificate.
        case require
        /// TLS always, with the server's certificate checked against the system's trust roots.
        case verifyCA = "verify-ca"
        /// TLS always, with the server's certificate checked against the system's trust roots and its name.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// The schema holding the tables; nil for the server's default search path.
    public var schema: String?

    /// Makes a location from its parts.
    public init(
        host: String, port: Int = 5432, username: String, password: String?, database: String,
        tls: TLSMode = .prefer, schema: String? = nil
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.schema = schema
    }

    /// Parses a `postgres://` or `postgresql://` URL.
    /// - Throws: ``LablogError/invalidValue(field:reason:)`` naming what is wrong; the password never appears
    ///   in the message.
    public init(url text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw Self.invalid("is not a URL; expected postgres://user:password@host:port/database")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw Self.invalid("has scheme '\(scheme)'; expected postgres:// or postgresql://")
        }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw Self.invalid("names no user; expected postgres://user:password@host:port/database")
        }
        let host = components.host.flatMap { $0.removingPercentEncoding } ?? ""
        let path = components.percentEncodedPath.drop { $0 == "/" }
        guard !path.contains("/"), let database = String(path).removingPercentEncoding else {
            throw Self.invalid("has the path '\(components.path)'; expected one database name after the host")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw Self.invalid("has the port \(port), outside 1-65535")
        }
        self.init(
            host: host.isEmpty ? "localhost" : host, port: components.port ?? 5432, username: user,
            password: components.percentEncodedPassword.flatMap { $0.removingPercentEncoding },
            database: database.isEmpty ? user : database)
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                tls = try Self.tlsMode(item.value ?? "")
            case "schema":
                guard let value = item.value, Self.isPlainIdentifier(value) else {
                    throw Self.invalid(
                        "has schema '\(item.value ?? "")'; use lower-case letters, digits and underscores")
                }
                schema = value
            default:
                throw Self.invalid("has the unknown parameter '\(item.name)' (known: sslmode, schema)")
            }
        }
    }

    /// `host:port/database`, never the password: what messages name.
    public var description: String { "\(host):\(port)/\(database)" }

    private static func tlsMode(_ value: String) throws -> TLSMode {
        switch value {
        case "disable": return .disable
        case "allow", "prefer": return .prefer
        case "require": return .require
        case "verify-ca": return .verifyCA
        case "verify-full": return .verifyFull
        default:
            throw invalid("has sslmode '\(value)'; expected disable, allow, prefer, require, verify-ca or verify-full")
        }
    }

    /// Whether `name` can be spliced into SQL as an identifier without quoting: it never comes from a request,
    /// but the check keeps it that way.
    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !name.isEmpty, name.count <= 63 else { return false }
        let letters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz_")
        let rest = letters.union(CharacterSet(charactersIn: "0123456789"))
        return letters.contains(first) && name.unicodeScalars.allSatisfy { rest.contains($0) }
    }

    private static func invalid(_ reason: String) -> LablogError {
        .invalidValue(field: "database URL", reason: "the PostgreSQL URL \(reason)")
    }
}
