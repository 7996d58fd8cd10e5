import Foundation
import PostgresNIO

/// How PostgreSQL's failures are told apart and described.
enum PostgresErrors {
    /// The SQLSTATE of an error the server reported.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// Whether `error` means the database cannot be reached or used right now (rather than a bad statement):
    /// no connection, a connection lost, the server shutting down or out of resources, the database or the
    /// login gone.
    static func isUnavailability(_ error: PSQLError) -> Bool {
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            // 08: connection exception, 53: insufficient resources, 57P: operator intervention (shutdown),
            // 28: invalid authorization, 3D000: the database does not exist.
            return state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57P")
                || state.hasPrefix("28") || state == "3D000"
        case .queryCancelled, .tooManyParameters, .invalidCommandTag, .listenFailed, .unlistenFailed:
            return false
        default:
            return true
        }
    }

    /// A one-line cause for messages: the server's message and SQLSTATE, or the client's failure and its
    /// underlying error (such as "Connection refused").
    static func describe(_ error: PSQLError) -> String {
        if let info = error.serverInfo, let message = info[.message] {
            return "\(message) (SQLSTATE \(info[.sqlState] ?? "?"))"
        }
        guard let underlying = error.underlying else { return "\(error.code)" }
        return describe(underlying)
    }

    /// A network failure in words: "Connection refused" rather than NIO's nested error values.
    private static func describe(_ error: any Error) -> String {
        if let connection = error as? NIOConnectionError {
            if let failure = connection.connectionErrors.last { return describe(failure.error) }
            if let dns = connection.dnsAError ?? connection.dnsAAAAError {
                return "cannot resolve host '\(connection.host)' (\(dns))"
            }
        }
        if let io = error as? IOError {
            return String(cString: strerror(io.errnoCode))
        }
        return "\(error)"
    }

    /// Whether `error` is a unique-constraint violation (SQLSTATE 23505).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        sqlState(error) == "23505"
    }
}
