import GRDB
import LablogCore

extension SQLiteStore {
    public func searchRuns(_ query: RunQuery) async throws -> Page<Run> {
        let offset = try PageCursor.decodeOffset(query.cursor)
        let limit = max(1, min(query.limit, Limits.maxStorePageSize))
        return try await perform {
            try await writer.read { db in
                // Without a filter, SQL lists the scope in index order (or sorts it once, for orders no index
                // walk serves) as fast as sets would.
                if query.filter == nil, query.orderBy.isEmpty || !RunSearch.walks(query.orderBy) {
                    return try Self.probedPage(db, query: query, offset: offset, limit: limit)
                }
                let search = try RunSearch(db, query: query)
                guard search.prefersSets else {
                    return try Self.probedPage(db, query: query, offset: offset, limit: limit)
                }
                let matches = try search.matches()
                let rowIDs = try search.page(of: matches, offset: offset, count: limit + 1)
                return Page(
                    items: try RunLoader.load(db, rowIDs: Array(rowIDs.prefix(limit))),
                    nextCursor: rowIDs.count > limit ? PageCursor.offset(offset + limit) : nil,
                    totalCount: query.countTotal ? matches.count : nil)
            }
        }
    }

    /// The page found by probing each run of the scope with the filter's SQL condition, for scopes too small
    /// for whole index ranges to pay off and for plain listings.
    private static func probedPage(_ db: Database, query: RunQuery, offset: Int, limit: Int) throws -> Page<Run> {
        var compiler = FilterSQL()
        let order = compiler.ordering(query.orderBy)
        let scope = RunSearch.scopeCondition(query, compiler: &compiler, withFilter: true)
        let sql = "SELECT r.id FROM runs r \(order.joins) WHERE \(scope) ORDER BY \(order.terms) LIMIT ? OFFSET ?"
        let rowIDs = try Int64.fetchAll(db, sql: sql, arguments: compiler.arguments + [limit + 1, offset])
        var total: Int?
        if query.countTotal {
            var countCompiler = FilterSQL()
            let countScope = RunSearch.scopeCondition(query, compiler: &countCompiler, withFilter: true)
            total = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM runs r WHERE \(countScope)", arguments: countCompiler.arguments)
        }
        return Page(
            items: try RunLoader.load(db, rowIDs: Array(rowIDs.prefix(limit))),
            nextCursor: rowIDs.count > limit ? PageCursor.offset(offset + limit) : nil, totalCount: total)
    }

    public func forEachRun(
        matching query: RunQuery, chunkSize: Int, _ body: @Sendable ([Run]) async throws -> Void
    ) async throws {
        let chunk = max(1, chunkSize)
        var compiler = FilterSQL()
        let scope = RunSearch.scopeCondition(query, compiler: &compiler, withFilter: true)
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
}

extension FilterSQL {
    /// Appends arguments for SQL written outside the compiler, in text order.
    mutating func append(_ more: StatementArguments) {
        arguments += more
    }
}
