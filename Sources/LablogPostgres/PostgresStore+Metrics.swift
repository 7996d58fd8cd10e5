import LablogCore
import PostgresNIO

extension PostgresStore {
    public func logBatch(runID: RunID, metrics: [MetricPoint], params: [KeyValue], tags: [KeyValue]) async throws {
        try Validator.batch(metrics: metrics, params: params, tags: tags)
        try await write { session in
            let row = try await Self.runRow(session, id: runID)
            try Self.requireActive(row, id: runID)
            try await Self.renameFromTags(session, rowID: row.rowID, tags: tags)
            try await Self.appendBatch(session, run: row, metrics: metrics, params: params, tags: tags)
        }
    }

    public func metricHistory(runID: RunID, key: String, _ query: HistoryQuery) async throws -> Page<MetricPoint> {
        let page = try HistoryPageCollector(key: key, query: query)
        return try await read { session in
            let row = try await Self.runRow(session, id: runID)
            guard let keyID = try await Self.loggedKeyID(session, rowID: row.rowID, key: key) else {
                throw LablogError.notFound(.metric, key)
            }
            var collector = page
            try await PostgresChunkTable.forEachSample(session, runID: row.rowID, keyID: keyID, from: collector.start) {
                collector.visit($0)
            }
            return collector.page()
        }
    }

    /// Writes params, tags and metric points to a run inside the caller's transaction.
    ///
    /// Params are immutable: the same value again is accepted, a different one throws (and the caller's
    /// transaction rolls back, so nothing of the batch is stored). Tags are upserts. Points are appended to
    /// their series' chunks; a point already stored with the same key, step, timestamp and value is ignored, so
    /// a retried batch is stored once. Latest values are merged with one upsert, NaN stored as NULL
    /// (PostgreSQL's NaN equals itself, so `nullif` finds it).
    static func appendBatch(
        _ session: Session, run: RunRow, metrics: [MetricPoint], params: [KeyValue], tags: [KeyValue]
    ) async throws {
        try await appendParams(session, runRowID: run.rowID, params: params)
        // Sorted keys: concurrent transactions on one run take the tag rows' locks in the same order.
        try await upsertRunTags(
            session, runRowID: run.rowID, tags: lastValuePerKey(tags).sorted { $0.key < $1.key })
        try await recordKeys(session, experimentID: run.experimentID, kind: "param", keys: params.map(\.key))
        try await recordKeys(session, experimentID: run.experimentID, kind: "tag", keys: tags.map(\.key))
        try await recordKeys(session, experimentID: run.experimentID, kind: "metric", keys: metrics.map(\.key))
        guard !metrics.isEmpty else { return }
        let keyIDs = try await internMetricKeys(session, keys: metrics.map(\.key))
        var series: [String: [MetricSample]] = [:]
        for point in metrics {
            series[point.key, default: []].append(MetricSample(point))
        }
        var latest: [String: MetricPoint] = [:]
        var sorted: [(keyID: Int64, samples: [MetricSample])] = []
        for (key, samples) in series {
            let unique = samples.sortedUnique()
            // keyIDs holds every key of the batch: internMetricKeys inserted the missing ones.
            sorted.append((keyIDs[key] ?? 0, unique))
            if let last = unique.last { latest[key] = last.point(key: key) }
        }
        try await PostgresChunkTable.append(session, runID: run.rowID, series: sorted)
        let newest = latest.values.sorted { $0.key < $1.key }
        try await session.execute(
            """
            INSERT INTO latest_metrics (run_id, key_id, value, step, timestamp)
            SELECT \(run.rowID), l.key_id, nullif(l.value, 'NaN'), l.step, l.timestamp
            FROM unnest(\(newest.map { keyIDs[$0.key] ?? 0 })::bigint[], \(newest.map(\.value))::double precision[],
                \(newest.map(\.step))::bigint[], \(newest.map(\.timestamp))::bigint[])
                AS l (key_id, value, step, timestamp)
            ON CONFLICT (run_id, key_id) DO UPDATE
            SET value = excluded.value, step = excluded.step, timestamp = excluded.timestamp
            WHERE excluded.step > latest_metrics.step
               OR (excluded.step = latest_metrics.step AND excluded.timestamp > latest_metrics.timestamp)
               OR (excluded.step = latest_metrics.step AND excluded.timestamp = latest_metrics.timestamp
                   AND ((excluded.value IS NULL AND latest_metrics.value IS NOT NULL)
                        OR excluded.value > latest_metrics.value))
            """, prepared: UpsertLatestMetrics.self)
    }

    /// Inserts the params not stored yet, then compares every stored value with the wanted one. Two processes
    /// logging one param with different values: the primary key lets one insert, and the other then reads the
    /// committed value and reports the conflict.
    private static func appendParams(_ session: Session, runRowID: Int64, params: [KeyValue]) async throws {
        guard !params.isEmpty else { return }
        var wanted: [String: String] = [:]
        for param in params {
            if let earlier = wanted.updateValue(param.value, forKey: param.key), earlier != param.value {
                throw LablogError.paramConflict(key: param.key, stored: earlier, attempted: param.value)
            }
        }
        let keys = wanted.keys.sorted()
        let values = keys.map { wanted[$0] ?? "" }
        try await session.execute(
            """
            INSERT INTO params (run_id, key, value)
            SELECT \(runRowID), p.key, p.value FROM unnest(\(keys)::text[], \(values)::text[]) AS p (key, value)
            ON CONFLICT (run_id, key) DO NOTHING
            """, prepared: InsertParams.self)
        let stored = try await session.all(
            "SELECT key, value FROM params WHERE run_id = \(runRowID) AND key = ANY(\(keys)::text[]) ORDER BY key",
            prepared: StoredParams.self)
        for row in stored {
            let (key, value) = try row.decode((String, String).self)
            let attempted = wanted[key] ?? ""
            guard value == attempted else {
                throw LablogError.paramConflict(key: key, stored: value, attempted: attempted)
            }
        }
    }

    /// Applies MLflow's rule that a non-empty `mlflow.runName` tag renames the run (the last one wins).
    static func renameFromTags(_ session: Session, rowID: Int64, tags: [KeyValue]) async throws {
        guard let name = tags.last(where: { $0.key == RunTagKeys.runName && !$0.value.isEmpty })?.value else {
            return
        }
        try await session.execute("UPDATE runs SET name = \(name) WHERE id = \(rowID)")
    }

    /// The id of `key` when the run logged it, else nil.
    static func loggedKeyID(_ session: Session, rowID: Int64, key: String) async throws -> Int64? {
        let row = try await session.first(
            """
            SELECT l.key_id FROM latest_metrics l JOIN metric_keys k ON k.id = l.key_id
            WHERE l.run_id = \(rowID) AND k.key = \(key)
            """)
        return try row?.decode(Int64.self)
    }

    /// The id of an interned metric key, or nil when no run ever logged it.
    static func metricKeyID(_ session: Session, key: String) async throws -> Int64? {
        try await session.first("SELECT id FROM metric_keys WHERE key = \(key)")?.decode(Int64.self)
    }

    /// Notes that the experiment's runs use these keys (see `experiment_keys`).
    static func recordKeys(_ session: Session, experimentID: ExperimentID, kind: String, keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        try await session.execute(
            """
            INSERT INTO experiment_keys (experiment_id, kind, key)
            SELECT \(experimentID), \(kind), k FROM unnest(\(Set(keys).sorted())::text[]) AS k
            ON CONFLICT DO NOTHING
            """, prepared: RecordKeys.self)
    }

    /// The ids of the given metric keys, inserting those not seen before. A key inserted by a concurrent
    /// transaction is waited for by `ON CONFLICT` and then read back.
    private static func internMetricKeys(_ session: Session, keys: [String]) async throws -> [String: Int64] {
        let distinct = Set(keys).sorted()
        var ids: [String: Int64] = [:]
        let known = try await session.all(
            "SELECT key, id FROM metric_keys WHERE key = ANY(\(distinct)::text[])", prepared: MetricKeyIDs.self)
        for row in known {
            let (key, id) = try row.decode((String, Int64).self)
            ids[key] = id
        }
        let missing = distinct.filter { ids[$0] == nil }
        guard !missing.isEmpty else { return ids }
        try await session.execute(
            "INSERT INTO metric_keys (key) SELECT unnest(\(missing)::text[]) ON CONFLICT (key) DO NOTHING")
        let added = try await session.rows("SELECT key, id FROM metric_keys WHERE key = ANY(\(missing)::text[])")
        for try await (key, id) in added.decode((String, Int64).self) {
            ids[key] = id
        }
        return ids
    }
}

private enum UpsertLatestMetrics: PreparedName {}
private enum InsertParams: PreparedName {}
private enum StoredParams: PreparedName {}
private enum RecordKeys: PreparedName {}
private enum MetricKeyIDs: PreparedName {}
