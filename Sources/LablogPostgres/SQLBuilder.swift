import PostgresNIO

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
