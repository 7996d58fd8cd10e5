import GRDB
import GRDBSQLite

/// Rows read through SQLite's C API, for loops over many rows where GRDB's per-row decoding would cost more than
/// SQLite's own work: search's index scans and the loading of whole pages of runs.
enum RawRows {
    /// Runs `sql` and hands each row to `body` until it returns false.
    /// - Parameter cached: whether to keep the prepared statement for the next call with the same text.
    static func forEach(
        _ db: Database, _ sql: String, _ arguments: StatementArguments, cached: Bool = false,
        _ body: (SQLiteStatement) throws -> Bool
    ) throws {
        let statement = try cached ? db.cachedStatement(sql: sql) : db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        let raw = statement.sqliteStatement
        // A walk may stop before the last row: reset so the statement holds no read position afterwards.
        defer { sqlite3_reset(raw) }
        while true {
            let code = sqlite3_step(raw)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
            }
            guard try body(raw) else { return }
        }
    }

    /// The text of a column; empty for NULL.
    static func text(_ row: SQLiteStatement, _ column: CInt) -> String {
        sqlite3_column_text(row, column).map { String(cString: $0) } ?? ""
    }

    static func optionalText(_ row: SQLiteStatement, _ column: CInt) -> String? {
        sqlite3_column_type(row, column) == SQLITE_NULL ? nil : text(row, column)
    }

    static func int64(_ row: SQLiteStatement, _ column: CInt) -> Int64 {
        sqlite3_column_int64(row, column)
    }

    static func optionalInt64(_ row: SQLiteStatement, _ column: CInt) -> Int64? {
        sqlite3_column_type(row, column) == SQLITE_NULL ? nil : sqlite3_column_int64(row, column)
    }

    static func optionalDouble(_ row: SQLiteStatement, _ column: CInt) -> Double? {
        sqlite3_column_type(row, column) == SQLITE_NULL ? nil : sqlite3_column_double(row, column)
    }
}
