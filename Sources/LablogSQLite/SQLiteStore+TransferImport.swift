import Foundation
import GRDB
import LablogCore

/// Writing for copies between backends (see ``StoreTransfer``): rows are written as they are, ids and times
/// included, and every import can be repeated.
extension SQLiteStore {
    public func importExperiments(_ experiments: [TransferExperiment]) async throws {
        try await perform {
            try await write { db in
                for experiment in experiments {
                    try db.execute(
                        sql: """
                            INSERT INTO experiments (id, name, description, status, lifecycle, artifact_location,
                                                     created_at, updated_at, run_count, last_run_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
                                status = excluded.status, lifecycle = excluded.lifecycle,
                                artifact_location = excluded.artifact_location, created_at = excluded.created_at,
                                updated_at = excluded.updated_at, run_count = excluded.run_count,
                                last_run_at = excluded.last_run_at
                            """,
                        arguments: [
                            experiment.id, experiment.name, experiment.description, experiment.status,
                            experiment.lifecycle, experiment.artifactLocation, experiment.createdAt,
                            experiment.updatedAt, experiment.runCount, experiment.lastRunAt,
                        ])
                    try db.execute(
                        sql: "DELETE FROM experiment_tags WHERE experiment_id = ?", arguments: [experiment.id])
                    for tag in experiment.tags {
                        // A tag id may have been reused by the source since an earlier copy.
                        try db.execute(sql: "DELETE FROM experiment_tags WHERE id = ?", arguments: [tag.id])
                        try db.execute(
                            sql: "INSERT INTO experiment_tags (id, experiment_id, key, value) VALUES (?, ?, ?, ?)",
                            arguments: [tag.id, experiment.id, tag.key, tag.value])
                    }
                }
            }
        }
    }

    public func importDatasets(_ datasets: [TransferDataset]) async throws {
        try await perform {
            try await write { db in
                for dataset in datasets {
                    try db.execute(
                        sql: """
                            INSERT INTO datasets (experiment_id, name, digest, source_type, source, schema, profile)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT (experiment_id, name, digest) DO UPDATE SET source_type = excluded.source_type,
                                source = excluded.source, schema = excluded.schema, profile = excluded.profile
                            """,
                        arguments: [
                            dataset.experimentID, dataset.name, dataset.digest, dataset.sourceType, dataset.source,
                            dataset.schema, dataset.profile,
                        ])
                }
            }
        }
    }

    public func importRuns(_ runs: [TransferRun]) async throws {
        try await perform {
            try await write { db in
                for run in runs {
                    try Self.importRun(db, run)
                }
            }
        }
    }

    private static func importRun(_ db: Database, _ run: TransferRun) throws {
        try db.execute(
            sql: """
                INSERT INTO runs (uuid, experiment_id, name, status, start_time, end_time, lifecycle, parent_run_id,
                                  artifact_uri, user_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT id FROM runs WHERE uuid = ?), ?, ?)
                ON CONFLICT (uuid) DO UPDATE SET experiment_id = excluded.experiment_id, name = excluded.name,
                    status = excluded.status, start_time = excluded.start_time, end_time = excluded.end_time,
                    lifecycle = excluded.lifecycle, parent_run_id = excluded.parent_run_id,
                    artifact_uri = excluded.artifact_uri, user_id = excluded.user_id
                """,
            arguments: [
                run.id, run.experimentID, run.name, run.status, run.startTime, run.endTime, run.lifecycle,
                run.parentID, run.artifactURI, run.userID,
            ])
        let rowID = try runRowID(db, run.id)
        for table in ["params", "run_tags", "latest_metrics", "run_inputs"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE run_id = ?", arguments: [rowID])
        }
        for param in run.params {
            try db.execute(
                sql: "INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)",
                arguments: [rowID, param.key, param.value])
            try noteKey(db, experimentID: run.experimentID, kind: "param", key: param.key)
        }
        for tag in run.tags {
            // A tag id may have been reused by the source since an earlier copy.
            try db.execute(sql: "DELETE FROM run_tags WHERE id = ?", arguments: [tag.id])
            try db.execute(
                sql: "INSERT INTO run_tags (id, run_id, key, value) VALUES (?, ?, ?, ?)",
                arguments: [tag.id, rowID, tag.key, tag.value])
            try noteKey(db, experimentID: run.experimentID, kind: "tag", key: tag.key)
        }
        for metric in run.latestMetrics {
            // SQLite cannot store NaN: a NULL latest value is NaN.
            let value: Double? = metric.value.isNaN ? nil : metric.value
            try db.execute(
                sql: "INSERT INTO latest_metrics (run_id, key_id, value, step, timestamp) VALUES (?, ?, ?, ?, ?)",
                arguments: [rowID, try keyID(db, metric.key), value, metric.step, metric.timestamp])
            try noteKey(db, experimentID: run.experimentID, kind: "metric", key: metric.key)
        }
        for input in run.inputs {
            guard
                let datasetID = try Int64.fetchOne(
                    db, sql: "SELECT id FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?",
                    arguments: [run.experimentID, input.datasetName, input.datasetDigest])
            else {
                throw LablogError.invalidState(
                    "run \(run.id) read dataset '\(input.datasetName)' (\(input.datasetDigest)), which was not copied")
            }
            try db.execute(
                sql: "INSERT INTO run_inputs (run_id, dataset_id, context) VALUES (?, ?, ?)",
                arguments: [rowID, datasetID, input.context])
            let inputID = db.lastInsertedRowID
            for tag in input.tags {
                try db.execute(
                    sql: "INSERT INTO run_input_tags (input_id, key, value) VALUES (?, ?, ?)",
                    arguments: [inputID, tag.key, tag.value])
            }
        }
    }

    /// Keeps the experiment's list of used keys complete, as writes through the store do.
    private static func noteKey(_ db: Database, experimentID: ExperimentID, kind: String, key: String) throws {
        try db.execute(
            sql: "INSERT OR IGNORE INTO experiment_keys (experiment_id, kind, key) VALUES (?, ?, ?)",
            arguments: [experimentID, kind, key])
    }

    private static func runRowID(_ db: Database, _ runID: String) throws -> Int64 {
        guard let rowID = try Int64.fetchOne(db, sql: "SELECT id FROM runs WHERE uuid = ?", arguments: [runID]) else {
            throw LablogError.notFound(.run, runID)
        }
        return rowID
    }

    /// The id of an interned metric key, interning it when new.
    private static func keyID(_ db: Database, _ key: String) throws -> Int64 {
        try db.execute(sql: "INSERT OR IGNORE INTO metric_keys (key) VALUES (?)", arguments: [key])
        return try Int64.fetchOne(db, sql: "SELECT id FROM metric_keys WHERE key = ?", arguments: [key]) ?? 0
    }

    public func importParentLinks(_ links: [TransferParentLink]) async throws {
        try await perform {
            try await write { db in
                for link in links {
                    try db.execute(
                        sql: "UPDATE runs SET parent_run_id = (SELECT id FROM runs WHERE uuid = ?) WHERE uuid = ?",
                        arguments: [link.parentID, link.runID])
                }
            }
        }
    }

    public func importChunks(runID: String, key: String, chunks: [[MetricSample]]) async throws {
        try await perform {
            try await write { db in
                let rowID = try Self.runRowID(db, runID)
                let keyID = try Self.keyID(db, key)
                // Cached statements: a long history is thousands of chunks.
                let exists = try db.cachedStatement(
                    sql: """
                        SELECT 1 FROM metric_chunks
                        WHERE run_id = ? AND key_id = ? AND first_step = ? AND first_timestamp = ?
                        """)
                let insertPoints = try db.cachedStatement(sql: "INSERT INTO metric_chunk_points (points) VALUES (?)")
                let insertChunk = try db.cachedStatement(
                    sql: """
                        INSERT INTO metric_chunks (run_id, key_id, first_step, first_timestamp, first_value,
                            last_step, last_timestamp, last_value, min_timestamp, max_timestamp, point_count,
                            value_count, min_value, max_value, value_sum, points_id, point_bytes)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                for samples in chunks {
                    guard let summary = MetricChunkSummary(samples) else { continue }
                    let stored = try Bool.fetchOne(
                        exists, arguments: [rowID, keyID, summary.first.step, summary.first.timestamp])
                    guard stored == nil else { continue }
                    let bytes = MetricChunk.encode(samples)
                    try insertPoints.execute(arguments: [Data(bytes)])
                    let pointsID = db.lastInsertedRowID
                    try insertChunk.execute(arguments: [
                        rowID, keyID, summary.first.step, summary.first.timestamp, Self.stored(summary.first.value),
                        summary.last.step, summary.last.timestamp, Self.stored(summary.last.value),
                        summary.minTimestamp, summary.maxTimestamp, summary.count, summary.valueCount,
                        summary.minValue, summary.maxValue, Self.stored(summary.sum), pointsID, bytes.count,
                    ])
                }
            }
        }
    }

    /// SQLite cannot store NaN: it is NULL in summary columns.
    private static func stored(_ value: Double) -> Double? {
        value.isNaN ? nil : value
    }
}
