import LablogCore
import PostgresNIO

/// Loads whole runs (params, tags, latest metrics, inputs) for a list of storage ids in six queries, each
/// taking the ids as one array parameter.
enum PostgresRunLoader {
    /// The runs with the given storage ids, in the order of `rowIDs`.
    static func load(_ session: Session, rowIDs: [Int64]) async throws -> [Run] {
        guard !rowIDs.isEmpty else { return [] }
        var params: [Int64: [KeyValue]] = [:]
        let paramRows = try await session.rows(
            "SELECT run_id, key, value FROM params WHERE run_id = ANY(\(rowIDs)) ORDER BY run_id, key")
        for try await (runID, key, value) in paramRows.decode((Int64, String, String).self) {
            params[runID, default: []].append(KeyValue(key: key, value: value))
        }
        var tags: [Int64: [Tag]] = [:]
        let tagRows = try await session.rows(
            "SELECT run_id, id, key, value FROM run_tags WHERE run_id = ANY(\(rowIDs)) ORDER BY run_id, key")
        for try await (runID, id, key, value) in tagRows.decode((Int64, Int64, String, String).self) {
            tags[runID, default: []].append(Tag(id: id, key: key, value: value))
        }
        var metrics: [Int64: [MetricPoint]] = [:]
        let metricRows = try await session.rows(
            """
            SELECT l.run_id, k.key, l.value, l.step, l.timestamp
            FROM latest_metrics l JOIN metric_keys k ON k.id = l.key_id
            WHERE l.run_id = ANY(\(rowIDs)) ORDER BY l.run_id, k.key
            """)
        for try await (runID, key, value, step, timestamp) in metricRows.decode(
            (Int64, String, Double?, Int64, Int64).self)
        {
            metrics[runID, default: []].append(
                MetricPoint(key: key, value: value ?? .nan, step: step, timestamp: timestamp))
        }
        let inputs = try await loadInputs(session, rowIDs: rowIDs)
        var runs: [Int64: Run] = [:]
        let rows = try await session.rows(
            """
            SELECT r.id, r.uuid, r.experiment_id, r.name, r.status, r.start_time, r.end_time, r.lifecycle,
                   p.uuid, r.artifact_uri, r.user_id
            FROM runs r LEFT JOIN runs p ON p.id = r.parent_run_id
            WHERE r.id = ANY(\(rowIDs))
            """)
        for try await row in rows {
            let (rowID, uuid, experimentID, name, status, startTime, endTime, lifecycle, parent, artifactURI, user) =
                try row.decode(
                    (Int64, String, Int64, String, String, Int64, Int64?, String, String?, String, String).self)
            guard let id = RunID(uuid) else { continue }
            runs[rowID] = Run(
                id: id, experimentID: experimentID, name: name, status: RunStatus(rawValue: status) ?? .running,
                startTime: startTime, endTime: endTime, lifecycle: Lifecycle(rawValue: lifecycle) ?? .active,
                parentRunID: parent.flatMap(RunID.init), artifactURI: artifactURI, userID: user,
                params: params[rowID] ?? [], tags: tags[rowID] ?? [], latestMetrics: metrics[rowID] ?? [],
                inputs: inputs[rowID] ?? [])
        }
        return rowIDs.compactMap { runs[$0] }
    }

    /// The dataset inputs of the listed runs, in the order they were logged.
    private static func loadInputs(_ session: Session, rowIDs: [Int64]) async throws -> [Int64: [DatasetInput]] {
        var tags: [Int64: [KeyValue]] = [:]
        let tagRows = try await session.rows(
            """
            SELECT t.input_id, t.key, t.value FROM run_input_tags t JOIN run_inputs i ON i.id = t.input_id
            WHERE i.run_id = ANY(\(rowIDs)) ORDER BY t.input_id, t.key
            """)
        for try await (inputID, key, value) in tagRows.decode((Int64, String, String).self) {
            tags[inputID, default: []].append(KeyValue(key: key, value: value))
        }
        var inputs: [Int64: [DatasetInput]] = [:]
        let rows = try await session.rows(
            """
            SELECT i.run_id, i.id, d.name, d.digest, d.source_type, d.source, d.schema, d.profile
            FROM run_inputs i JOIN datasets d ON d.id = i.dataset_id
            WHERE i.run_id = ANY(\(rowIDs)) ORDER BY i.run_id, i.id
            """)
        for try await (runID, inputID, name, digest, sourceType, source, schema, profile) in rows.decode(
            (Int64, Int64, String, String, String, String, String?, String?).self)
        {
            let dataset = Dataset(
                name: name, digest: digest, sourceType: sourceType, source: source, schema: schema, profile: profile)
            inputs[runID, default: []].append(DatasetInput(dataset: dataset, tags: tags[inputID] ?? []))
        }
        return inputs
    }
}
