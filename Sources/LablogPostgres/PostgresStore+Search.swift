import LablogCore
import PostgresNIO

extension PostgresStore {
    public func searchRuns(_ query: RunQuery) async throws -> Page<Run> {
        let offset = try PageCursor.decodeOffset(query.cursor)
        let limit = max(1, min(query.limit, Limits.maxStorePageSize))
        var countCompiler = PostgresFilterSQL()
        countCompiler.asSets = true
        let countScope = Self.scope(query, compiler: &countCompiler)
        let count = countCompiler.sql.query("SELECT count(*) FROM runs r WHERE \(countScope)")
        // The count scans every match while the page stops at its limit: on two pooled connections they run
        // at once, so a counted page costs about the slower of the two, not their sum.
        async let total: Int? =
            query.countTotal ? read { session in try await session.first(count)?.decode(Int.self) } : nil
        // Ordered by a metric, a page that the runs with a number for it fill comes from that metric's index
        // alone; otherwise (NaN or missing values reached) the general query sorts every match.
        let numbers: PostgresQuery? =
            if case .metric = query.orderBy.first?.field {
                Self.pageQuery(query, numbersOnly: true, limit: limit, offset: offset)
            } else {
                nil
            }
        let general = Self.pageQuery(query, numbersOnly: false, limit: limit, offset: offset)
        let (runs, more) = try await read { session in
            var rowIDs: [Int64] = []
            if let numbers {
                for try await id in try await session.rows(numbers).decode(Int64.self) {
                    rowIDs.append(id)
                }
            }
            if rowIDs.count <= limit {
                rowIDs = []
                for try await id in try await session.rows(general).decode(Int64.self) {
                    rowIDs.append(id)
                }
            }
            let runs = try await PostgresRunLoader.load(session, rowIDs: Array(rowIDs.prefix(limit)))
            return (runs, rowIDs.count > limit)
        }
        return Page(
            items: runs, nextCursor: more ? PageCursor.offset(offset + limit) : nil, totalCount: try await total)
    }

    public func forEachRun(
        matching query: RunQuery, chunkSize: Int, _ body: @Sendable ([Run]) async throws -> Void
    ) async throws {
        let chunk = max(1, chunkSize)
        var after: Int64 = -1
        while true {
            var compiler = PostgresFilterSQL()
            let scope = Self.scope(query, compiler: &compiler)
            let sql =
                "SELECT r.id FROM runs r WHERE \(scope) AND r.id > \(compiler.sql.bind(after)) ORDER BY r.id "
                + "LIMIT \(compiler.sql.bind(chunk))"
            let query = compiler.sql.query(sql)
            let (rowIDs, runs) = try await read { session in
                var rowIDs: [Int64] = []
                for try await id in try await session.rows(query).decode(Int64.self) {
                    rowIDs.append(id)
                }
                return (rowIDs, try await PostgresRunLoader.load(session, rowIDs: rowIDs))
            }
            guard let last = rowIDs.last else { return }
            try await body(runs)
            guard rowIDs.count == chunk else { return }
            after = last
        }
    }

    public func runColumns(experimentIDs: [ExperimentID]) async throws -> RunColumns {
        try await read { session in
            func keys(_ kind: String) async throws -> [String] {
                let query: PostgresQuery =
                    experimentIDs.isEmpty
                    ? "SELECT DISTINCT key FROM experiment_keys WHERE kind = \(kind) ORDER BY key"
                    : """
                    SELECT DISTINCT key FROM experiment_keys
                    WHERE kind = \(kind) AND experiment_id = ANY(\(experimentIDs)::bigint[]) ORDER BY key
                    """
                var keys: [String] = []
                for try await key in try await session.rows(query).decode(String.self) {
                    keys.append(key)
                }
                return keys
            }
            return RunColumns(
                params: try await keys("param"), metrics: try await keys("metric"), tags: try await keys("tag"))
        }
    }

    /// The ids of one page of runs (and one more, telling whether another page follows).
    private static func pageQuery(_ query: RunQuery, numbersOnly: Bool, limit: Int, offset: Int) -> PostgresQuery {
        // The index walk tests likely-narrow conditions as hashed sets and probes the rest run by run (see
        // `walkCondition`); the general query visits every match, which sets serve better.
        var compiler = PostgresFilterSQL()
        compiler.asSets = !numbersOnly
        let order = compiler.ordering(query.orderBy, numbersOnly: numbersOnly)
        let scope = Self.scope(query, compiler: &compiler, walking: numbersOnly ? "o0.run_id" : nil)
        let sql =
            "SELECT r.id FROM runs r \(order.joins) WHERE \(scope) ORDER BY \(order.terms) "
            + "LIMIT \(compiler.sql.bind(limit + 1)) OFFSET \(compiler.sql.bind(offset))"
        return compiler.sql.query(sql)
    }

    /// The WHERE condition selecting a query's experiments, lifecycle and filter; `walking` names the run id
    /// column of the index a page walks, if any.
    private static func scope(_ query: RunQuery, compiler: inout PostgresFilterSQL, walking: String? = nil) -> String {
        var conditions: [String] = []
        if !query.experimentIDs.isEmpty {
            conditions.append("r.experiment_id = ANY(\(compiler.sql.bind(query.experimentIDs))::bigint[])")
        }
        switch query.lifecycle {
        case .all: break
        case .active, .deleted: conditions.append("r.lifecycle = \(compiler.sql.bind(query.lifecycle.rawValue))")
        }
        if let filter = query.filter {
            conditions.append(walking.map { compiler.walkCondition(filter, owner: $0) } ?? compiler.condition(filter))
        }
        return conditions.isEmpty ? "TRUE" : conditions.joined(separator: " AND ")
    }
}
