import GRDB
import LablogCore

/// Loads whole runs (params, tags, latest metrics, inputs) for a list of storage ids, one query per table.
enum RunLoader {
    /// The runs with the given storage ids, in the order of `rowIDs`.
    static func load(_ db: Database, rowIDs: [Int64]) throws -> [Run] {
        try SQLiteStore.inChunks(rowIDs) { try loadChunk(db, rowIDs: $0) }
    }

    private static func loadChunk(_ db: Database, rowIDs: [Int64]) throws -> [Run] {
        guard !rowIDs.isEmpty else { return [] }
        // The ids travel as one JSON array, so each statement's text is fixed and prepared once per connection:
        // preparing costs more than running these small reads.
        let list = "SELECT value FROM json_each(?)"
        let arguments: StatementArguments = ["[" + rowIDs.map(String.init).joined(separator: ",") + "]"]
        var params: [Int64: [KeyValue]] = [:]
        try RawRows.forEach(
            db, "SELECT run_id, key, value FROM params WHERE run_id IN (\(list)) ORDER BY run_id, key", arguments,
            cached: true
        ) { row in
            params[RawRows.int64(row, 0), default: []].append(
                KeyValue(key: RawRows.text(row, 1), value: RawRows.text(row, 2)))
            return true
        }
        var tags: [Int64: [Tag]] = [:]
        try RawRows.forEach(
            db, "SELECT run_id, id, key, value FROM run_tags WHERE run_id IN (\(list)) ORDER BY run_id, key",
            arguments, cached: true
        ) { row in
            tags[RawRows.int64(row, 0), default: []].append(
                Tag(id: RawRows.int64(row, 1), key: RawRows.text(row, 2), value: RawRows.text(row, 3)))
            return true
        }
        var metrics: [Int64: [MetricPoint]] = [:]
        try RawRows.forEach(
            db,
            """
            SELECT l.run_id, k.key, l.value, l.step, l.timestamp
            FROM latest_metrics l JOIN metric_keys k ON k.id = l.key_id
            WHERE l.run_id IN (\(list)) ORDER BY l.run_id, k.key
            """,
            arguments, cached: true
        ) { row in
            metrics[RawRows.int64(row, 0), default: []].append(
                MetricPoint(
                    key: RawRows.text(row, 1), value: RawRows.optionalDouble(row, 2) ?? .nan,
                    step: RawRows.int64(row, 3), timestamp: RawRows.int64(row, 4)))
            return true
        }
        let inputs = try loadInputs(db, list: list, arguments: arguments)
        var runs: [Int64: Run] = [:]
        try RawRows.forEach(
            db,
            """
            SELECT r.id, r.uuid, r.experiment_id, r.name, r.status, r.start_time, r.end_time, r.lifecycle,
                   p.uuid, r.artifact_uri, r.user_id
            FROM runs r LEFT JOIN runs p ON p.id = r.parent_run_id
            WHERE r.id IN (\(list))
            """,
            arguments, cached: true
        ) { row in
            let rowID = RawRows.int64(row, 0)
            guard let id = RunID(RawRows.text(row, 1)) else { return true }
            runs[rowID] = Run(
                id: id, experimentID: RawRows.int64(row, 2), name: RawRows.text(row, 3),
                status: RunStatus(rawValue: RawRows.text(row, 4)) ?? .running, startTime: RawRows.int64(row, 5),
                endTime: RawRows.optionalInt64(row, 6),
                lifecycle: Lifecycle(rawValue: RawRows.text(row, 7)) ?? .active,
                parentRunID: RawRows.optionalText(row, 8).flatMap(RunID.init), artifactURI: RawRows.text(row, 9),
                userID: RawRows.text(row, 10), params: params[rowID] ?? [], tags: tags[rowID] ?? [],
                latestMetrics: metrics[rowID] ?? [], inputs: inputs[rowID] ?? [])
            return true
        }
        return rowIDs.compactMap { runs[$0] }
    }

    /// The dataset inputs of the listed runs, in the order they were logged.
    private static func loadInputs(
        _ db: Database, list: String, arguments: StatementArguments
    ) throws -> [Int64: [DatasetInput]] {
        var tags: [Int64: [KeyValue]] = [:]
        try forEachRow(
            db,
            sql: """
                SELECT t.input_id, t.key, t.value FROM run_input_tags t JOIN run_inputs i ON i.id = t.input_id
                WHERE i.run_id IN (\(list)) ORDER BY t.input_id, t.key
                """,
            arguments
        ) { row in
            tags[row[0], default: []].append(KeyValue(key: row[1], value: row[2]))
        }
        var inputs: [Int64: [DatasetInput]] = [:]
        try forEachRow(
            db,
            sql: """
                SELECT i.run_id, i.id, d.name, d.digest, d.source_type, d.source, d.schema, d.profile
                FROM run_inputs i JOIN datasets d ON d.id = i.dataset_id
                WHERE i.run_id IN (\(list)) ORDER BY i.run_id, i.id
                """,
            arguments
        ) { row in
            let dataset = Dataset(
                name: row[2], digest: row[3], sourceType: row[4], source: row[5], schema: row[6], profile: row[7])
            inputs[row[0], default: []].append(DatasetInput(dataset: dataset, tags: tags[row[1]] ?? []))
        }
        return inputs
    }

    /// Runs a cached statement and hands each row to `body`. The row is the statement's own and is only valid
    /// during the call, which spares copying every row of these reads.
    private static func forEachRow(
        _ db: Database, sql: String, _ arguments: StatementArguments, _ body: (Row) throws -> Void
    ) throws {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        while let row = try rows.next() { try body(row) }
    }
}
