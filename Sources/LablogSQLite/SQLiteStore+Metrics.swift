import GRDB
import GRDBSQLite
import LablogCore

extension SQLiteStore {
    public func logBatch(runID: RunID, metrics: [MetricPoint], params: [KeyValue], tags: [KeyValue]) async throws {
        try Validator.batch(metrics: metrics, params: params, tags: tags)
        try await perform {
            try await write { db in
                let row = try Self.runRow(db, id: runID)
                try Self.requireActive(row, id: runID)
                try Self.renameFromTags(db, rowID: row.rowID, tags: tags)
                try Self.appendBatch(db, run: row, metrics: metrics, params: params, tags: tags)
            }
        }
    }

    public func metricHistory(runID: RunID, key: String, _ query: HistoryQuery) async throws -> Page<MetricPoint> {
        let page = try HistoryPageCollector(key: key, query: query)
        return try await perform {
            try await writer.read { db in
                let row = try Self.runRow(db, id: runID)
                guard
                    let keyID = try Self.metricKeyID(db, key: key),
                    try Bool.fetchOne(
                        db.cachedStatement(sql: "SELECT 1 FROM latest_metrics WHERE run_id = ? AND key_id = ?"),
                        arguments: [row.rowID, keyID]) ?? false
                else { throw LablogError.notFound(.metric, key) }
                var collector = page
                try ChunkTable.forEachSample(db, runID: row.rowID, keyID: keyID, from: collector.start) {
                    collector.visit($0)
                }
                return collector.page()
            }
        }
    }

    /// Writes params, tags and metric points to a run inside the caller's transaction.
    ///
    /// Params are immutable: the same value again is accepted, a different one throws (and the caller's
    /// transaction rolls back, so nothing of the batch is stored). Tags are upserts. Points are appended
    /// through one cached statement; a point already stored at the same key, step and timestamp is ignored,
    /// so a retried batch is stored once. Latest values are merged with one upsert per key.
    static func appendBatch(
        _ db: Database, run: RunRow, metrics: [MetricPoint], params: [KeyValue], tags: [KeyValue]
    ) throws {
        try appendParams(db, runRowID: run.rowID, params: params)
        for tag in lastValuePerKey(tags) {
            try upsertRunTag(db, runRowID: run.rowID, tag: tag)
        }
        try recordKeys(db, experimentID: run.experimentID, kind: "param", keys: params.map(\.key))
        try recordKeys(db, experimentID: run.experimentID, kind: "tag", keys: tags.map(\.key))
        try recordKeys(db, experimentID: run.experimentID, kind: "metric", keys: metrics.map(\.key))
        guard !metrics.isEmpty else { return }
        let keyIDs = try internMetricKeys(db, keys: metrics.map(\.key))
        var series: [String: [MetricSample]] = [:]
        for point in metrics {
            series[point.key, default: []].append(MetricSample(point))
        }
        var latest: [String: MetricPoint] = [:]
        for (key, samples) in series {
            // keyIDs holds every key of the batch: internMetricKeys inserted the missing ones.
            let unique = samples.sortedUnique()
            try ChunkTable.append(db, runID: run.rowID, keyID: keyIDs[key] ?? 0, samples: unique)
            if let last = unique.last { latest[key] = last.point(key: key) }
        }
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO latest_metrics (run_id, key_id, value, step, timestamp) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (run_id, key_id) DO UPDATE
                SET value = excluded.value, step = excluded.step, timestamp = excluded.timestamp
                WHERE excluded.step > latest_metrics.step
                   OR (excluded.step = latest_metrics.step AND excluded.timestamp > latest_metrics.timestamp)
                   OR (excluded.step = latest_metrics.step AND excluded.timestamp = latest_metrics.timestamp
                       AND ((excluded.value IS NULL AND latest_metrics.value IS NOT NULL)
                            OR excluded.value > latest_metrics.value))
                """)
        for (key, point) in latest {
            upsert.setUncheckedArguments([
                run.rowID, keyIDs[key] ?? 0, storedValue(point.value), point.step, point.timestamp,
            ])
            try upsert.execute()
        }
    }

    private static func appendParams(_ db: Database, runRowID: Int64, params: [KeyValue]) throws {
        guard !params.isEmpty else { return }
        var wanted: [String: String] = [:]
        for param in params {
            if let earlier = wanted.updateValue(param.value, forKey: param.key), earlier != param.value {
                throw LablogError.paramConflict(key: param.key, stored: earlier, attempted: param.value)
            }
        }
        let keys = Array(wanted.keys)
        var stored: [String: String] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT key, value FROM params WHERE run_id = ? AND key IN (\(placeholders(keys.count)))",
            arguments: StatementArguments([runRowID]) + StatementArguments(keys))
        {
            stored[row[0]] = row[1]
        }
        let insert = try db.cachedStatement(sql: "INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)")
        for key in keys.sorted() {
            let value = wanted[key] ?? ""
            if let existing = stored[key] {
                guard existing == value else {
                    throw LablogError.paramConflict(key: key, stored: existing, attempted: value)
                }
                continue
            }
            try insert.execute(arguments: [runRowID, key, value])
        }
    }

    /// Applies MLflow's rule that a non-empty `mlflow.runName` tag renames the run (the last one wins).
    static func renameFromTags(_ db: Database, rowID: Int64, tags: [KeyValue]) throws {
        guard let name = tags.last(where: { $0.key == RunTagKeys.runName && !$0.value.isEmpty })?.value else {
            return
        }
        try db.cachedStatement(sql: "UPDATE runs SET name = ? WHERE id = ?").execute(arguments: [name, rowID])
    }

    /// The id of an interned metric key, or nil when no run ever logged it.
    static func metricKeyID(_ db: Database, key: String) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM metric_keys WHERE key = ?"), arguments: [key])
    }

    /// Notes that the experiment's runs use these keys (see `experiment_keys`).
    static func recordKeys(_ db: Database, experimentID: ExperimentID, kind: String, keys: [String]) throws {
        guard !keys.isEmpty else { return }
        let insert = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO experiment_keys (experiment_id, kind, key) VALUES (?, ?, ?)")
        for key in Set(keys) {
            try insert.execute(arguments: [experimentID, kind, key])
        }
    }

    /// The ids of the given metric keys, inserting those not seen before.
    private static func internMetricKeys(_ db: Database, keys: [String]) throws -> [String: Int64] {
        let distinct = Array(Set(keys))
        var ids: [String: Int64] = [:]
        let select = try db.cachedStatement(sql: "SELECT id FROM metric_keys WHERE key = ?")
        let insert = try db.cachedStatement(sql: "INSERT INTO metric_keys (key) VALUES (?)")
        for key in distinct {
            if let id = try Int64.fetchOne(select, arguments: [key]) {
                ids[key] = id
            } else {
                try insert.execute(arguments: [key])
                ids[key] = db.lastInsertedRowID
            }
        }
        return ids
    }

    /// SQLite turns NaN into NULL on its own; binding NULL explicitly makes that the documented encoding.
    private static func storedValue(_ value: Double) -> Double? {
        value.isNaN ? nil : value
    }
}
