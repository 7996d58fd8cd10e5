import LablogCore
import PostgresNIO

/// Loads whole runs (params, tags, latest metrics, inputs) for a list of storage ids in one query taking the ids
/// as one array parameter, and two more for the runs that have dataset inputs.
///
/// A run's params, tags and latest metrics come back as arrays on its own row: one row per run instead of one
/// per value keeps the round trips and the rows to decode few.
enum PostgresRunLoader {
    /// The runs with the given storage ids, in the order of `rowIDs`.
    static func load(_ session: Session, rowIDs: [Int64]) async throws -> [Run] {
        guard !rowIDs.isEmpty else { return [] }
        var runs: [Int64: Run] = [:]
        var withInputs: [Int64] = []
        // Each kind of value is aggregated once for all the runs (one index range per kind, not one per run);
        // the arrays are ordered by key here. A NULL latest value is NaN: arrays cannot carry NULL into [Double].
        // The same text for every page, so it is prepared once per connection.
        let rows = try await session.all(
            """
            SELECT r.id, r.uuid, r.experiment_id, r.name, r.status, r.start_time, r.end_time, r.lifecycle,
                   p.uuid, r.artifact_uri, r.user_id,
                   coalesce(pa.keys, '{}'), coalesce(pa.vals, '{}'),
                   coalesce(ta.ids, '{}'), coalesce(ta.keys, '{}'), coalesce(ta.vals, '{}'),
                   coalesce(ma.keys, '{}'), coalesce(ma.vals, '{}'), coalesce(ma.steps, '{}'),
                   coalesce(ma.times, '{}'),
                   EXISTS (SELECT 1 FROM run_inputs i WHERE i.run_id = r.id)
            FROM runs r LEFT JOIN runs p ON p.id = r.parent_run_id
            LEFT JOIN (
                SELECT run_id, array_agg(key) AS keys, array_agg(value) AS vals
                FROM params WHERE run_id = ANY(\(rowIDs)) GROUP BY run_id) pa ON pa.run_id = r.id
            LEFT JOIN (
                SELECT run_id, array_agg(id) AS ids, array_agg(key) AS keys, array_agg(value) AS vals
                FROM run_tags WHERE run_id = ANY(\(rowIDs)) GROUP BY run_id) ta ON ta.run_id = r.id
            LEFT JOIN (
                SELECT x.run_id, array_agg(k.key) AS keys,
                       array_agg(coalesce(x.value, 'NaN'::double precision)) AS vals,
                       array_agg(x.step) AS steps, array_agg(x.timestamp) AS times
                FROM latest_metrics x JOIN metric_keys k ON k.id = x.key_id
                WHERE x.run_id = ANY(\(rowIDs)) GROUP BY x.run_id) ma ON ma.run_id = r.id
            WHERE r.id = ANY(\(rowIDs))
            """, prepared: LoadRuns.self)
        for row in rows {
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
            if try cells[20].decode(Bool.self) { withInputs.append(rowID) }
            runs[rowID] = Run(
                id: id, experimentID: experimentID, name: name, status: RunStatus(rawValue: status) ?? .running,
                startTime: startTime, endTime: endTime, lifecycle: Lifecycle(rawValue: lifecycle) ?? .active,
                parentRunID: parent.flatMap(RunID.init), artifactURI: artifactURI, userID: user,
                params: params.sorted { bytewise($0.key, $1.key) }, tags: tags.sorted { bytewise($0.key, $1.key) },
                latestMetrics: metrics.sorted { bytewise($0.key, $1.key) })
        }
        if !withInputs.isEmpty {
            for (rowID, inputs) in try await loadInputs(session, rowIDs: withInputs) { runs[rowID]?.inputs = inputs }
        }
        return rowIDs.compactMap { runs[$0] }
    }

    /// Keys in byte order, as the stores' `C` collation sorts them.
    private static func bytewise(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
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

private enum LoadRuns: PreparedName {}
