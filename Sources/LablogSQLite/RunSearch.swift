import GRDB
import LablogCore

/// One run search inside a read transaction, evaluated as sets of run ids.
///
/// Each filter condition is read as one range of its (key, value) index into a ``RowIDSet``; AND, OR and NOT
/// are set algebra, and the count is the size of the result. The page then walks the index of the first sort
/// key (latest values of a metric, values of a param or tag, or start times) in order and keeps the matching
/// runs until it is full, so neither part probes every run of the scope. Runs tied on the walked key, and sets
/// too sparse to be worth a walk, are ordered by the full SQL ordering of ``FilterSQL/ordering(_:)``.
struct RunSearch {
    let db: Database
    let query: RunQuery
    /// The largest run id, which bounds every set.
    let largestID: Int64
    /// The runs of the query's experiments and lifecycle, before the filter.
    let scope: RowIDSet

    init(_ db: Database, query: RunQuery) throws {
        self.db = db
        self.query = query
        largestID = try Int64.fetchOne(db, sql: "SELECT max(id) FROM runs") ?? 0
        var compiler = FilterSQL()
        let condition = Self.scopeCondition(query, compiler: &compiler)
        var scope = RowIDSet(largestID: largestID)
        try Self.insertIDs(db, "SELECT r.id FROM runs r WHERE \(condition)", compiler.arguments, into: &scope)
        self.scope = scope
    }

    /// Whether sets pay off: a scope much smaller than the table (one small experiment among large ones) is
    /// cheaper to probe run by run than to read whole index ranges for.
    var prefersSets: Bool {
        Int64(scope.count) * 8 >= largestID
    }

    /// The runs of the scope that match the query's filter.
    func matches() throws -> RowIDSet {
        guard let filter = query.filter else { return scope }
        var matches = try runs(matching: filter)
        matches.formIntersection(scope)
        return matches
    }

    private func runs(matching expression: FilterExpression) throws -> RowIDSet {
        switch expression {
        case .and(let lhs, let rhs):
            var left = try runs(matching: lhs)
            guard !left.isEmpty else { return left }
            left.formIntersection(try runs(matching: rhs))
            return left
        case .or(let lhs, let rhs):
            var left = try runs(matching: lhs)
            left.formUnion(try runs(matching: rhs))
            return left
        case .not(let inner):
            var rest = scope
            rest.subtract(try runs(matching: inner))
            return rest
        case .comparison(let comparison):
            var compiler = FilterSQL()
            if let keyed = compiler.keyedRunIDs(comparison) {
                let ids = try self.ids(keyed.sql, compiler.arguments)
                guard keyed.negated else { return ids }
                var rest = scope
                rest.subtract(ids)
                return rest
            }
            // Attributes and datasets: the runs of the scope for which the SQL condition holds.
            let scopeSQL = Self.scopeCondition(query, compiler: &compiler)
            let condition = compiler.condition(expression)
            return try ids("SELECT r.id FROM runs r WHERE \(scopeSQL) AND \(condition)", compiler.arguments)
        }
    }

    /// The ids of `matches` at positions `offset..<offset + count` of the query's order.
    func page(of matches: RowIDSet, offset: Int, count: Int) throws -> [Int64] {
        if isSparse(matches, reading: offset + count) {
            return try ordered(matches.sortedIDs, limit: count, offset: offset)
        }
        var skip = offset
        var wanted = count
        var page: [Int64] = []
        for segment in segments(of: matches) {
            guard wanted > 0 else { break }
            let part = try segment()
            if let size = part.size, skip >= size {
                skip -= size
                continue
            }
            let read: (ids: [Int64], size: Int?)
            // A segment without an exact size is the first one, whose members are all the matches: known not sparse.
            if let walk = part.walk, part.size == nil || !isSparse(part.members, reading: skip + wanted) {
                read = try self.walk(walk.sql, walk.arguments, members: part.members, skip: skip, take: wanted)
            } else {
                read = (try ordered(part.members.sortedIDs, limit: wanted, offset: skip), part.members.count)
            }
            page += read.ids
            wanted -= read.ids.count
            skip = max(0, skip - (read.size ?? 0))
        }
        return page
    }

    /// A part of the order: a set of runs, with the size of the set when it is exact, and the ordered index
    /// scan that yields them by the first sort key (nil to order the set by SQL).
    private struct Segment {
        var members: RowIDSet
        var size: Int?
        var walk: (sql: String, arguments: StatementArguments)?
    }

    /// The parts of the order, each read only if the page reaches it: for a metric, the runs with a number,
    /// then with NaN, then without the key; for a param or tag, the runs with the key, then without it.
    private func segments(of matches: RowIDSet) -> [() throws -> Segment] {
        let recency = { (members: RowIDSet) in
            Segment(
                members: members, size: members.count,
                walk: query.orderBy.count == 1 ? self.recencyWalk(ascending: false) : nil)
        }
        guard let first = query.orderBy.first else {
            return [{ Segment(members: matches, size: matches.count, walk: recencyWalk(ascending: false)) }]
        }
        let direction = first.ascending ? "ASC" : "DESC"
        switch first.field {
        case .attribute(.startTime):
            return [{ Segment(members: matches, size: matches.count, walk: recencyWalk(ascending: first.ascending)) }]
        case .metric(let key):
            let latest = "FROM latest_metrics WHERE key_id = (SELECT id FROM metric_keys WHERE key = ?)"
            return [
                {
                    Segment(
                        members: matches, size: nil,
                        walk: (
                            "SELECT run_id, value \(latest) AND value IS NOT NULL ORDER BY value \(direction)", [key]
                        ))
                },
                {
                    var nan = try ids("SELECT run_id \(latest) AND value IS NULL", [key])
                    nan.formIntersection(matches)
                    return recency(nan)
                },
                {
                    var missing = matches
                    missing.subtract(try ids("SELECT run_id \(latest)", [key]))
                    return recency(missing)
                },
            ]
        case .param(let key), .tag(let key):
            let table = if case .param = first.field { "params" } else { "run_tags" }
            return [
                {
                    Segment(
                        members: matches, size: nil,
                        walk: ("SELECT run_id, value FROM \(table) WHERE key = ? ORDER BY value \(direction)", [key]))
                },
                {
                    var missing = matches
                    missing.subtract(try ids("SELECT run_id FROM \(table) WHERE key = ?", [key]))
                    return recency(missing)
                },
            ]
        default:
            return [{ Segment(members: matches, size: matches.count, walk: nil) }]
        }
    }

    /// Whether an index walk serves `orderBy`: its first key is a metric, a param, a tag or the start time.
    static func walks(_ orderBy: [OrderKey]) -> Bool {
        switch orderBy.first?.field {
        case .metric, .param, .tag, .attribute(.startTime), nil: true
        default: false
        }
    }

    /// Runs by start time, from the experiment's own index when the scope is one experiment in one lifecycle.
    private func recencyWalk(ascending: Bool) -> (sql: String, arguments: StatementArguments) {
        let direction = ascending ? "ASC" : "DESC"
        if query.experimentIDs.count == 1, query.lifecycle != .all {
            let sql = "SELECT id, start_time FROM runs WHERE experiment_id = ? AND lifecycle = ? ORDER BY start_time"
            return ("\(sql) \(direction)", [query.experimentIDs[0], query.lifecycle.rawValue])
        }
        return ("SELECT id, start_time FROM runs ORDER BY start_time \(direction)", [])
    }

    /// Whether a walk to the `reading`-th member would pass so many other runs that ordering the members by SQL
    /// is cheaper: a walk reads about `reading * largestID / members` index entries, SQL costs some 30 a member.
    private func isSparse(_ members: RowIDSet, reading: Int) -> Bool {
        let count = Int64(members.count)
        return count * count * 30 < Int64(reading) * largestID
    }

    /// Walks `sql` (run id, sort key) in order and returns the members at `skip..<skip + take`, with the number
    /// of members met when the walk ran out (nil when it stopped early). A group of members tied on the walked
    /// key that reaches into the window is put in the query's full order by SQL.
    private func walk(
        _ sql: String, _ arguments: StatementArguments, members: RowIDSet, skip: Int, take: Int
    ) throws -> (ids: [Int64], size: Int?) {
        let end = skip + take
        var found: [(id: Int64, key: DatabaseValue)] = []
        var ranOut = true
        try RawRows.forEach(db, sql, arguments) { row in
            let id = RawRows.int64(row, 0)
            guard members.contains(id) else { return true }
            let key = DatabaseValue(sqliteStatement: row, index: 1)
            if found.count >= end, let last = found.last, last.key != key {
                ranOut = false
                return false
            }
            found.append((id, key))
            return true
        }
        var ids = found.map(\.id)
        var start = 0
        while start < found.count {
            var stop = start + 1
            while stop < found.count, found[stop].key == found[start].key { stop += 1 }
            if stop - start > 1, stop > skip, start < end {
                ids.replaceSubrange(start..<stop, with: try ordered(Array(ids[start..<stop]), limit: nil, offset: 0))
            }
            start = stop
        }
        return (Array(ids[min(skip, ids.count)..<min(end, ids.count)]), ranOut ? found.count : nil)
    }

    /// `ids` in the query's full order, optionally one window of it.
    private func ordered(_ ids: [Int64], limit: Int?, offset: Int) throws -> [Int64] {
        guard !ids.isEmpty else { return [] }
        var compiler = FilterSQL()
        let order = compiler.ordering(query.orderBy)
        compiler.append(["[" + ids.map(String.init).joined(separator: ",") + "]"])
        var sql = """
            SELECT r.id FROM runs r \(order.joins) WHERE r.id IN (SELECT value FROM json_each(?))
            ORDER BY \(order.terms)
            """
        if let limit {
            sql += " LIMIT ? OFFSET ?"
            compiler.append([limit, offset])
        }
        return try Int64.fetchAll(db, sql: sql, arguments: compiler.arguments)
    }

    private func ids(_ sql: String, _ arguments: StatementArguments) throws -> RowIDSet {
        var set = RowIDSet(largestID: largestID)
        try Self.insertIDs(db, sql, arguments, into: &set)
        return set
    }

    private static func insertIDs(
        _ db: Database, _ sql: String, _ arguments: StatementArguments, into set: inout RowIDSet
    ) throws {
        try RawRows.forEach(db, sql, arguments) { row in
            set.insert(RawRows.int64(row, 0))
            return true
        }
    }

    /// The WHERE condition on runs `r` selecting a query's experiments and lifecycle, and its filter when
    /// `withFilter` is true.
    static func scopeCondition(_ query: RunQuery, compiler: inout FilterSQL, withFilter: Bool = false) -> String {
        var conditions: [String] = []
        if !query.experimentIDs.isEmpty {
            conditions.append("r.experiment_id IN (\(SQLiteStore.placeholders(query.experimentIDs.count)))")
            compiler.append(StatementArguments(query.experimentIDs))
        }
        switch query.lifecycle {
        case .all: break
        case .active, .deleted:
            conditions.append("r.lifecycle = ?")
            compiler.append([query.lifecycle.rawValue])
        }
        if withFilter, let filter = query.filter {
            conditions.append(compiler.condition(filter))
        }
        return conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")
    }
}
