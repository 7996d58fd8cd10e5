import GRDB
import LablogCore

extension SQLiteStore {
    public func searchRuns(_ query: RunQuery) async throws -> Page<Run> {
        let offset = try Cursor.decodeOffset(query.cursor)
        let limit = max(1, min(query.limit, Limits.maxStorePageSize))
        var compiler = FilterSQL()
        let order = compiler.ordering(query.orderBy)
        let scope = Self.scope(query, compiler: &compiler)
        let sql = "SELECT r.id FROM runs r \(order.joins) WHERE \(scope) ORDER BY \(order.terms) LIMIT ? OFFSET ?"
        let arguments = compiler.arguments + [limit + 1, offset]
        var countCompiler = FilterSQL()
        let countSQL = "SELECT count(*) FROM runs r WHERE \(Self.scope(query, compiler: &countCompiler))"
        let countArguments = countCompiler.arguments
        return try await perform {
            // The count scans every match while the page stops at its limit: in WAL mode they run at once on
            // two reader connections, so a counted page costs about the slower of the two, not their sum.
            async let total: Int? =
                query.countTotal
                ? writer.read { db in try Int.fetchOne(db, sql: countSQL, arguments: countArguments) } : nil
            let page = try await writer.read { db in
                let rowIDs = try Int64.fetchAll(db, sql: sql, arguments: arguments)
                let runs = try RunLoader.load(db, rowIDs: Array(rowIDs.prefix(limit)))
                return (runs, rowIDs.count > limit)
            }
            return Page(
                items: page.0, nextCursor: page.1 ? Cursor.offset(offset + limit) : nil, totalCount: try await total)
        }
    }

    public func forEachRun(
        matching query: RunQuery, chunkSize: Int, _ body: @Sendable ([Run]) async throws -> Void
    ) async throws {
        let chunk = max(1, chunkSize)
        var compiler = FilterSQL()
        let scope = Self.scope(query, compiler: &compiler)
        let sql = "SELECT r.id FROM runs r WHERE \(scope) AND r.id > ? ORDER BY r.id LIMIT ?"
        var after: Int64 = -1
        while true {
            let arguments = compiler.arguments + [after, chunk]
            let (rowIDs, runs) = try await perform {
                try await writer.read { db in
                    let rowIDs = try Int64.fetchAll(db, sql: sql, arguments: arguments)
                    return (rowIDs, try RunLoader.load(db, rowIDs: rowIDs))
                }
            }
            guard let last = rowIDs.last else { return }
            try await body(runs)
            guard rowIDs.count == chunk else { return }
            after = last
        }
    }

    public func runColumns(experimentIDs: [ExperimentID]) async throws -> RunColumns {
        let scope =
            experimentIDs.isEmpty ? "" : "AND experiment_id IN (\(Self.placeholders(experimentIDs.count)))"
        return try await perform {
            try await writer.read { db in
                func keys(_ kind: String) throws -> [String] {
                    try String.fetchAll(
                        db, sql: "SELECT DISTINCT key FROM experiment_keys WHERE kind = ? \(scope) ORDER BY key",
                        arguments: [kind] + StatementArguments(experimentIDs))
                }
                return RunColumns(params: try keys("param"), metrics: try keys("metric"), tags: try keys("tag"))
            }
        }
    }

    /// The WHERE condition selecting a query's experiments, lifecycle and filter.
    private static func scope(_ query: RunQuery, compiler: inout FilterSQL) -> String {
        var conditions: [String] = []
        if !query.experimentIDs.isEmpty {
            conditions.append("r.experiment_id IN (\(placeholders(query.experimentIDs.count)))")
            compiler.append(StatementArguments(query.experimentIDs))
        }
        switch query.lifecycle {
        case .all: break
        case .active, .deleted:
            conditions.append("r.lifecycle = ?")
            compiler.append([query.lifecycle.rawValue])
        }
        if let filter = query.filter {
            conditions.append(compiler.condition(filter))
        }
        return conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")
    }
}

extension FilterSQL {
    /// Appends arguments for SQL written outside the compiler, in text order.
    mutating func append(_ more: StatementArguments) {
        arguments += more
    }
}
