import LablogCore
import PostgresNIO

/// Loads whole runs (params, tags, latest metrics, inputs) for a list of storage ids in three queries, each
/// taking the ids as one array parameter.
///
/// A run's params, tags and latest metrics come back as arrays on its own row: one row per run instead of one
/// per value keeps the round trips and the rows to decode few.
enum PostgresRunLoader {
    /// The runs with the given storage ids, in the order of `rowIDs`.
    static func load(_ session: Session, rowIDs: [Int64]) async throws -> [Run] {
        guard !rowIDs.isEmpty else { return [] }
        let inputs = try await loadInputs(session, rowIDs: rowIDs)
        var runs: [Int64: Run] = [:]
        // A NULL latest value is NaN; arrays cannot carry NULL into [Double], so NaN travels as itself.
        let rows = try await session.rows(
            """
            SELECT r.id, r.uuid, r.experiment_id, r.name, r.status, r.start_time, r.end_time, r.lifecycle,
                   p.uuid, r.artifact_uri, r.user_id,
                   coalesce(pa.keys, '{}'), coalesce(pa.vals, '{}'),
                   coalesce(ta.ids, '{}'), coalesce(ta.keys, '{}'), coalesce(ta.vals, '{}'),
                   coalesce(ma.keys, '{}'), coalesce(ma.vals, '{}'), coalesce(ma.steps, '{}'),
                   coalesce(ma.times, '{}')
            FROM runs r LEFT JOIN runs p ON p.id = r.parent_run_id
            LEFT JOIN LATERAL (
                SELECT array_agg(x.key ORDER BY x.key) AS keys, array_agg(x.value ORDER BY x.key) AS vals
                FROM params x WHERE x.run_id = r.id) pa ON TRUE
            LEFT JOIN LATERAL (
                SELECT array_agg(x.id ORDER BY x.key) AS ids, array_agg(x.key ORDER BY x.key) AS keys,
                       array_agg(x.value ORDER BY x.key) AS vals
                FROM run_tags x WHERE x.run_id = r.id) ta ON TRUE
            LEFT JOIN LATERAL (
                SELECT array_agg(k.key ORDER BY k.key) AS keys,
                       array_agg(coalesce(x.value, 'NaN'::double precision) ORDER BY k.key) AS vals,
                       array_agg(x.step ORDER BY k.key) AS steps, array_agg(x.timestamp ORDER BY k.key) AS times
                FROM latest_metrics x JOIN metric_keys k ON k.id = x.key_id WHERE x.run_id = r.id) ma ON TRUE
            WHERE r.id = ANY(\(rowIDs))
            """)
        for try await row in rows {
            let cells = row.makeRandomAccess()
            let (rowID, uuid, experimentID, name, status, startTime, endTime, lifecycle, parent, artifactURI, user) =
                try (
                    cells[0].decode(Int64.self), cells[1].decode(String.self), cells[2].decode(Int64.self),
                    cells[3].decode(String.self), cells[4].decode(String.self), cells[5].decode(Int64.self),
                    cells[6].decode(Int64?.self), cells[7].decode(String.self), cells[8].decode(String?.self),
                    cells[9].decode(String.self), cells[10].decode(String.self)
                )
            guard let id = RunID(uuid) else { continue }
            let params = try zip(cells[11].decode([String].self), cells[12].decode([String].self)).map {
                KeyValue(key: $0, value: $1)
            }
            let tagIDs = try cells[13].decode([Int64].self)
            let tags = try zip(tagIDs, zip(cells[14].decode([String].self), cells[15].decode([String].self))).map {
                Tag(id: $0, key: $1.0, value: $1.1)
            }
            let (keys, values) = try (cells[16].decode([String].self), cells[17].decode([Double].self))
            let (steps, times) = try (cells[18].decode([Int64].self), cells[19].decode([Int64].self))
            let metrics = keys.indices.map {
                MetricPoint(key: keys[$0], value: values[$0], step: steps[$0], timestamp: times[$0])
            }
            runs[rowID] = Run(
                id: id, experimentID: experimentID, name: name, status: RunStatus(rawValue: status) ?? .running,
                startTime: startTime, endTime: endTime, lifecycle: Lifecycle(rawValue: lifecycle) ?? .active,
                parentRunID: parent.flatMap(RunID.init), artifactURI: artifactURI, userID: user,
                params: params, tags: tags, latestMetrics: metrics, inputs: inputs[rowID] ?? [])
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
