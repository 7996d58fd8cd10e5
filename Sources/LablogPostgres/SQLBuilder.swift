import PostgresNIO
import Synchronization

/// SQL text assembled piece by piece with numbered bind parameters.
///
/// ``bind(_:)`` appends a value and returns its placeholder (`$1`, `$2`, ...). Because placeholders are numbered,
/// fragments may be composed in any order: a value never enters the SQL text.
struct SQLBuilder {
    private(set) var binds = PostgresBindings()

    /// Appends `value` as the next parameter and returns its placeholder.
    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Appends `value` (NULL when nil) as the next parameter and returns its placeholder.
    mutating func bind(_ value: (some PostgresDynamicTypeEncodable)?) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// The query `text`, whose placeholders were made by this builder. Build the text first: Swift reads
    /// `self` before evaluating the arguments, so `sql.query("... \(sql.bind(x))")` would miss `x`.
    func query(_ text: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: text, binds: binds)
    }
}

/// One connection lent to a store operation, inside or outside a transaction.
struct Session {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs `query` and returns its rows, streamed.
    func rows(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        try await connection.query(query, logger: logger)
    }

    /// Runs `query` and returns every row.
    func all(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await rows(query).collect()
    }

    /// Runs `query` and returns its first row, if any (the rest are read and dropped).
    func first(_ query: PostgresQuery) async throws -> PostgresRow? {
        var first: PostgresRow?
        for try await row in try await rows(query) where first == nil {
            first = row
        }
        return first
    }

    /// Runs `query` for its effect, reading and dropping any rows; returns how many rows it returned.
    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> Int {
        var count = 0
        for try await _ in try await rows(query) {
            count += 1
        }
        return count
    }
}

/// A statement a connection prepares once and then only binds and executes: PostgreSQL parses and plans it on
/// first use instead of on every call, which on the write path cost as much as running the statements. Each
/// conforming type names one call site whose SQL text never changes (only its bound values do).
protocol PreparedName {}

/// The SQL text of each prepared statement, recorded on its first use.
private let preparedTexts = Mutex<[ObjectIdentifier: String]>([:])

private struct Prepared<Name: PreparedName>: PostgresPreparedStatement {
    static var name: String { "lablog." + String(reflecting: Name.self) }
    static var sql: String { preparedTexts.withLock { $0[ObjectIdentifier(Name.self)] } ?? "" }

    let bindings: PostgresBindings

    init(_ query: PostgresQuery) {
        let id = ObjectIdentifier(Name.self)
        preparedTexts.withLock { texts in
            if let known = texts[id] {
                precondition(known == query.sql, "the prepared statement \(Name.self) changed its SQL text")
            } else {
                texts[id] = query.sql
            }
        }
        bindings = query.binds
    }

    func makeBindings() throws -> PostgresBindings { bindings }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

extension Session {
    /// Runs `query` as the prepared statement `name` (its SQL text the same on every call) and returns its rows.
    func all(_ query: PostgresQuery, prepared name: (some PreparedName).Type) async throws -> [PostgresRow] {
        var rows: [PostgresRow] = []
        for try await row in try await connection.execute(preparedStatement(query, name), logger: logger) {
            rows.append(row)
        }
        return rows
    }

    /// Runs `query` as the prepared statement `name` and returns its first row, if any.
    func first(_ query: PostgresQuery, prepared name: (some PreparedName).Type) async throws -> PostgresRow? {
        try await all(query, prepared: name).first
    }

    /// Runs `query` as the prepared statement `name` for its effect.
    func execute(_ query: PostgresQuery, prepared name: (some PreparedName).Type) async throws {
        _ = try await all(query, prepared: name)
    }

    private func preparedStatement<Name: PreparedName>(_ query: PostgresQuery, _: Name.Type) -> Prepared<Name> {
        Prepared<Name>(query)
    }
}
