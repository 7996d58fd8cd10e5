import LablogCore
import PostgresNIO

/// Writing for copies between backends (see ``StoreTransfer``): rows are written as they are, ids and times
/// included, and every import can be repeated.
extension PostgresStore {
    public func importExperiments(_ experiments: [TransferExperiment]) async throws {
        try await write { session in
            for experiment in experiments {
                try await session.execute(
                    """
                    INSERT INTO experiments (id, name, description, status, lifecycle, artifact_location, created_at,
                                             updated_at, run_count, last_run_at)
                    VALUES (\(experiment.id), \(experiment.name), \(experiment.description), \(experiment.status),
                            \(experiment.lifecycle), \(experiment.artifactLocation), \(experiment.createdAt),
                            \(experiment.updatedAt), \(experiment.runCount), \(experiment.lastRunAt))
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
                        status = excluded.status, lifecycle = excluded.lifecycle,
                        artifact_location = excluded.artifact_location, created_at = excluded.created_at,
                        updated_at = excluded.updated_at, run_count = excluded.run_count,
                        last_run_at = excluded.last_run_at
                    """)
                let tags = experiment.tags
                // A tag id may have been reused by the source since an earlier copy.
                try await session.execute(
                    """
                    DELETE FROM experiment_tags
                    WHERE experiment_id = \(experiment.id) OR id = ANY(\(tags.map(\.id))::bigint[])
                    """)
                guard !tags.isEmpty else { continue }
                try await session.execute(
                    """
                    INSERT INTO experiment_tags (id, experiment_id, key, value)
                    SELECT t.id, \(experiment.id), t.key, t.value
                    FROM unnest(\(tags.map(\.id))::bigint[], \(tags.map(\.key))::text[], \(tags.map(\.value))::text[])
                        AS t (id, key, value)
                    """)
            }
            // Ids were given explicitly: new experiments and tags must be numbered after them.
            try await Self.renumberAfterMaximum(session, table: "experiments")
            try await Self.renumberAfterMaximum(session, table: "experiment_tags")
        }
    }

    public func importDatasets(_ datasets: [TransferDataset]) async throws {
        try await write { session in
            for dataset in datasets {
                try await session.execute(
                    """
                    INSERT INTO datasets (experiment_id, name, digest, source_type, source, schema, profile)
                    VALUES (\(dataset.experimentID), \(dataset.name), \(dataset.digest), \(dataset.sourceType),
                            \(dataset.source), \(dataset.schema), \(dataset.profile))
                    ON CONFLICT (experiment_id, name, digest) DO UPDATE SET source_type = excluded.source_type,
                        source = excluded.source, schema = excluded.schema, profile = excluded.profile
                    """)
            }
        }
    }

    public func importRuns(_ runs: [TransferRun]) async throws {
        try await write { session in
            for run in runs {
                try await Self.importRun(session, run)
            }
            try await Self.renumberAfterMaximum(session, table: "run_tags")
        }
        noteRunsCreated(runs.count)
    }

    /// Moves the identity sequence of `table` past its largest id, after rows were written with explicit ids.
    private static func renumberAfterMaximum(_ session: Session, table: String) async throws {
        try await session.execute(
            """
            SELECT setval(pg_get_serial_sequence('\(unescaped: table)', 'id'), coalesce(max(id), 0) + 1, false)
            FROM \(unescaped: table)
            """)
    }

    private static func importRun(_ session: Session, _ run: TransferRun) async throws {
        let inserted = try await session.first(
            """
            INSERT INTO runs (uuid, experiment_id, name, status, start_time, end_time, lifecycle, parent_run_id,
                              artifact_uri, user_id)
            VALUES (\(run.id), \(run.experimentID), \(run.name), \(run.status), \(run.startTime), \(run.endTime),
                    \(run.lifecycle), (SELECT id FROM runs WHERE uuid = \(run.parentID)), \(run.artifactURI),
                    \(run.userID))
            ON CONFLICT (uuid) DO UPDATE SET experiment_id = excluded.experiment_id, name = excluded.name,
                status = excluded.status, start_time = excluded.start_time, end_time = excluded.end_time,
                lifecycle = excluded.lifecycle, parent_run_id = excluded.parent_run_id,
                artifact_uri = excluded.artifact_uri, user_id = excluded.user_id
            RETURNING id
            """)
        guard let rowID = try inserted?.decode(Int64.self) else { throw LablogError.notFound(.run, run.id) }
        for table in ["params", "run_tags", "latest_metrics", "run_inputs"] {
            try await session.execute("DELETE FROM \(unescaped: table) WHERE run_id = \(rowID)")
        }
        try await session.execute(
            """
            INSERT INTO params (run_id, key, value)
            SELECT \(rowID), p.key, p.value
            FROM unnest(\(run.params.map(\.key))::text[], \(run.params.map(\.value))::text[])
                AS p (key, value)
            """)
        // A tag id may have been reused by the source since an earlier copy.
        try await session.execute("DELETE FROM run_tags WHERE id = ANY(\(run.tags.map(\.id))::bigint[])")
        let tags = run.tags
        try await session.execute(
            """
            INSERT INTO run_tags (id, run_id, key, value)
            SELECT t.id, \(rowID), t.key, t.value
            FROM unnest(\(tags.map(\.id))::bigint[], \(tags.map(\.key))::text[], \(tags.map(\.value))::text[])
                AS t (id, key, value)
            """)
        let metrics = run.latestMetrics
        if !metrics.isEmpty {
            try await session.execute(
                "INSERT INTO metric_keys (key) SELECT unnest(\(metrics.map(\.key))::text[]) ON CONFLICT DO NOTHING")
            // A NULL latest value is NaN.
            try await session.execute(
                """
                INSERT INTO latest_metrics (run_id, key_id, value, step, timestamp)
                SELECT \(rowID), k.id, nullif(m.value, 'NaN'), m.step, m.timestamp
                FROM unnest(\(metrics.map(\.key))::text[], \(metrics.map(\.value))::double precision[],
                            \(metrics.map(\.step))::bigint[], \(metrics.map(\.timestamp))::bigint[])
                    AS m (key, value, step, timestamp)
                JOIN metric_keys k ON k.key = m.key
                """)
        }
        // Keeps the experiment's list of used keys complete, as writes through the store do.
        let kinds = run.params.map { _ in "param" } + run.tags.map { _ in "tag" } + metrics.map { _ in "metric" }
        let keys = run.params.map(\.key) + run.tags.map(\.key) + metrics.map(\.key)
        try await session.execute(
            """
            INSERT INTO experiment_keys (experiment_id, kind, key)
            SELECT \(run.experimentID), k.kind, k.key FROM unnest(\(kinds)::text[], \(keys)::text[]) AS k (kind, key)
            ON CONFLICT DO NOTHING
            """)
        for input in run.inputs {
            let dataset = try await session.first(
                """
                SELECT id FROM datasets WHERE experiment_id = \(run.experimentID) AND name = \(input.datasetName)
                  AND digest = \(input.datasetDigest)
                """)
            guard let datasetID = try dataset?.decode(Int64.self) else {
                throw LablogError.invalidState(
                    "run \(run.id) read dataset '\(input.datasetName)' (\(input.datasetDigest)), which was not copied")
            }
            let row = try await session.first(
                """
                INSERT INTO run_inputs (run_id, dataset_id, context) VALUES (\(rowID), \(datasetID), \(input.context))
                RETURNING id
                """)
            guard let inputID = try row?.decode(Int64.self), !input.tags.isEmpty else { continue }
            try await session.execute(
                """
                INSERT INTO run_input_tags (input_id, key, value)
                SELECT \(inputID), t.key, t.value
                FROM unnest(\(input.tags.map(\.key))::text[], \(input.tags.map(\.value))::text[]) AS t (key, value)
                """)
        }
    }

    public func importParentLinks(_ links: [TransferParentLink]) async throws {
        guard !links.isEmpty else { return }
        try await write { session in
            _ = try await session.execute(
                """
                UPDATE runs SET parent_run_id = p.id
                FROM unnest(\(links.map(\.runID))::text[], \(links.map(\.parentID))::text[]) AS l (run, parent)
                JOIN runs p ON p.uuid = l.parent
                WHERE runs.uuid = l.run
                """)
        }
    }

    public func importChunks(runID: String, key: String, chunks: [[MetricSample]]) async throws {
        let chunks = chunks.filter { !$0.isEmpty }
        guard !chunks.isEmpty else { return }
        try await write { session in
            guard let rowID = try await session.first("SELECT id FROM runs WHERE uuid = \(runID)")?.decode(Int64.self)
            else { throw LablogError.notFound(.run, runID) }
            try await session.execute("INSERT INTO metric_keys (key) VALUES (\(key)) ON CONFLICT DO NOTHING")
            let keyID =
                try await session.first("SELECT id FROM metric_keys WHERE key = \(key)")?.decode(Int64.self) ?? 0
            // Serialised with any other writer of the series, as every append is.
            try await session.execute(
                "SELECT pg_advisory_xact_lock(\(PostgresChunkTable.lockKey(runID: rowID, keyID: keyID)))")
            var stored = Set<PostgresChunkTable.Position>()
            let rows = try await session.rows(
                """
                SELECT first_step, first_timestamp FROM metric_chunks
                WHERE run_id = \(rowID) AND key_id = \(keyID) AND (first_step, first_timestamp) IN (
                    SELECT * FROM unnest(\(chunks.map { $0[0].step })::bigint[],
                                         \(chunks.map { $0[0].timestamp })::bigint[]))
                """)
            for try await (step, timestamp) in rows.decode((Int64, Int64).self) {
                stored.insert(PostgresChunkTable.Position(step: step, timestamp: timestamp))
            }
            let missing = chunks.filter { !stored.contains(PostgresChunkTable.Position($0[0])) }.map { $0[...] }
            try await PostgresChunkTable.insert(session, runID: rowID, keyID: keyID, chunks: missing)
        }
    }
}
