import GRDB
import LablogCore

/// Loads whole runs (params, tags, latest metrics) for a list of storage ids in four queries.
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
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT run_id, key, value FROM params WHERE run_id IN (\(list)) ORDER BY run_id, key"),
            arguments: arguments)
        {
            params[row[0], default: []].append(KeyValue(key: row[1], value: row[2]))
        }
        var tags: [Int64: [Tag]] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT run_id, id, key, value FROM run_tags WHERE run_id IN (\(list)) ORDER BY run_id, key"),
            arguments: arguments)
        {
            tags[row[0], default: []].append(Tag(id: row[1], key: row[2], value: row[3]))
        }
        var metrics: [Int64: [MetricPoint]] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT l.run_id, k.key, l.value, l.step, l.timestamp
                    FROM latest_metrics l JOIN metric_keys k ON k.id = l.key_id
                    WHERE l.run_id IN (\(list)) ORDER BY l.run_id, k.key
                    """),
            arguments: arguments)
        {
            let value: Double? = row[2]
            metrics[row[0], default: []].append(
                MetricPoint(key: row[1], value: value ?? .nan, step: row[3], timestamp: row[4]))
        }
        let inputs = try loadInputs(db, list: list, arguments: arguments)
        var runs: [Int64: Run] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT r.id, r.uuid, r.experiment_id, r.name, r.status, r.start_time, r.end_time, r.lifecycle,
                           p.uuid, r.artifact_uri, r.user_id
                    FROM runs r LEFT JOIN runs p ON p.id = r.parent_run_id
                    WHERE r.id IN (\(list))
                    """),
            arguments: arguments)
        {
            let rowID: Int64 = row[0]
            let uuid: String = row[1]
            let parent: String? = row[8]
            guard let id = RunID(uuid) else { continue }
            runs[rowID] = Run(
                id: id, experimentID: row[2], name: row[3], status: RunStatus(rawValue: row[4]) ?? .running,
                startTime: row[5], endTime: row[6], lifecycle: Lifecycle(rawValue: row[7]) ?? .active,
                parentRunID: parent.flatMap(RunID.init), artifactURI: row[9], userID: row[10],
                params: params[rowID] ?? [], tags: tags[rowID] ?? [], latestMetrics: metrics[rowID] ?? [],
                inputs: inputs[rowID] ?? [])
        }
        return rowIDs.compactMap { runs[$0] }
    }

    /// The dataset inputs of the listed runs, in the order they were logged.
    private static func loadInputs(
        _ db: Database, list: String, arguments: StatementArguments
    ) throws -> [Int64: [DatasetInput]] {
        var tags: [Int64: [KeyValue]] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT t.input_id, t.key, t.value FROM run_input_tags t JOIN run_inputs i ON i.id = t.input_id
                    WHERE i.run_id IN (\(list)) ORDER BY t.input_id, t.key
                    """),
            arguments: arguments)
        {
            tags[row[0], default: []].append(KeyValue(key: row[1], value: row[2]))
        }
        var inputs: [Int64: [DatasetInput]] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT i.run_id, i.id, d.name, d.digest, d.source_type, d.source, d.schema, d.profile
                    FROM run_inputs i JOIN datasets d ON d.id = i.dataset_id
                    WHERE i.run_id IN (\(list)) ORDER BY i.run_id, i.id
                    """),
            arguments: arguments)
        {
            let dataset = Dataset(
                name: row[2], digest: row[3], sourceType: row[4], source: row[5], schema: row[6], profile: row[7])
            inputs[row[0], default: []].append(DatasetInput(dataset: dataset, tags: tags[row[1]] ?? []))
        }
        return inputs
    }
}
