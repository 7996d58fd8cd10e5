public import LablogCore
import PostgresNIO

/// Reading for copies between backends (see ``StoreTransfer``); the writing side is in
/// `PostgresStore+TransferImport.swift`.
extension PostgresStore: StoreTransfer {
    public func transferCounts() async throws -> TransferCounts {
        try await read { session in
            let row = try await session.first(
                """
                SELECT (SELECT count(*) FROM experiments), (SELECT count(*) FROM experiment_tags),
                       (SELECT count(*) FROM datasets), (SELECT count(*) FROM runs), (SELECT count(*) FROM params),
                       (SELECT count(*) FROM run_tags), (SELECT count(*) FROM latest_metrics),
                       (SELECT count(*) FROM run_inputs), (SELECT count(*) FROM run_input_tags),
                       (SELECT count(*) FROM metric_chunks),
                       (SELECT coalesce(sum(point_count), 0)::bigint FROM metric_chunks)
                """)
            var counts = TransferCounts()
            guard let row else { return counts }
            let values = try row.decode(
                (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64).self)
            counts.experiments = Int(values.0)
            counts.experimentTags = Int(values.1)
            counts.datasets = Int(values.2)
            counts.runs = Int(values.3)
            counts.params = Int(values.4)
            counts.runTags = Int(values.5)
            counts.latestMetrics = Int(values.6)
            counts.inputs = Int(values.7)
            counts.inputTags = Int(values.8)
            counts.chunks = Int(values.9)
            counts.points = Int(values.10)
            return counts
        }
    }

    public func exportExperiments(after id: ExperimentID?, limit: Int) async throws -> [TransferExperiment] {
        let query: PostgresQuery =
            if let id {
                """
                SELECT \(unescaped: Self.experimentColumns) FROM experiments WHERE id > \(id) ORDER BY id
                LIMIT \(limit)
                """
            } else {
                "SELECT \(unescaped: Self.experimentColumns) FROM experiments ORDER BY id LIMIT \(limit)"
            }
        return try await readExperiments(query)
    }

    public func exportExperiments(ids: [ExperimentID]) async throws -> [TransferExperiment] {
        guard !ids.isEmpty else { return [] }
        return try await readExperiments(
            "SELECT \(unescaped: Self.experimentColumns) FROM experiments WHERE id = ANY(\(ids)::bigint[]) ORDER BY id")
    }

    private static let experimentColumns = """
        id, name, description, status, lifecycle, artifact_location, created_at, updated_at, run_count, last_run_at
        """

    private func readExperiments(_ query: PostgresQuery) async throws -> [TransferExperiment] {
        try await read { session in
            var experiments: [TransferExperiment] = []
            let rows = try await session.rows(query)
            for try await row in rows.decode(
                (Int64, String, String?, String, String, String?, Int64, Int64, Int64, Int64?).self)
            {
                experiments.append(
                    TransferExperiment(
                        id: row.0, name: row.1, description: row.2, status: row.3, lifecycle: row.4,
                        artifactLocation: row.5, createdAt: row.6, updatedAt: row.7, runCount: row.8,
                        lastRunAt: row.9, tags: []))
            }
            guard !experiments.isEmpty else { return [] }
            var tags: [Int64: [Tag]] = [:]
            let tagRows = try await session.rows(
                """
                SELECT experiment_id, id, key, value FROM experiment_tags
                WHERE experiment_id = ANY(\(experiments.map(\.id))::bigint[]) ORDER BY id
                """)
            for try await (id, tagID, key, value) in tagRows.decode((Int64, Int64, String, String).self) {
                tags[id, default: []].append(Tag(id: tagID, key: key, value: value))
            }
            return experiments.map { experiment in
                var experiment = experiment
                experiment.tags = tags[experiment.id] ?? []
                return experiment
            }
        }
    }

    public func exportDatasets(after: TransferDataset?, limit: Int) async throws -> [TransferDataset] {
        try await read { session in
            let columns = "experiment_id, name, digest, source_type, source, schema, profile"
            let query: PostgresQuery =
                if let after {
                    """
                    SELECT \(unescaped: columns) FROM datasets
                    WHERE (experiment_id, name, digest) > (\(after.experimentID), \(after.name), \(after.digest))
                    ORDER BY experiment_id, name, digest LIMIT \(limit)
                    """
                } else {
                    "SELECT \(unescaped: columns) FROM datasets ORDER BY experiment_id, name, digest LIMIT \(limit)"
                }
            var datasets: [TransferDataset] = []
            let rows = try await session.rows(query)
            for try await row in rows.decode((Int64, String, String, String, String, String?, String?).self) {
                datasets.append(
                    TransferDataset(
                        experimentID: row.0, name: row.1, digest: row.2, sourceType: row.3, source: row.4,
                        schema: row.5, profile: row.6))
            }
            return datasets
        }
    }

    private static let runColumns = """
        SELECT r.id, r.uuid, r.experiment_id, r.name, r.status, r.start_time, r.end_time, r.lifecycle, p.uuid,
               r.artifact_uri, r.user_id
        FROM runs r LEFT JOIN runs p ON p.id = r.parent_run_id
        """

    public func exportRuns(after id: String?, limit: Int) async throws -> [TransferRun] {
        try await readRuns(
            id.map { "\(unescaped: Self.runColumns) WHERE r.uuid > \($0) ORDER BY r.uuid LIMIT \(limit)" }
                ?? "\(unescaped: Self.runColumns) ORDER BY r.uuid LIMIT \(limit)")
    }

    public func exportRuns(ids: [String]) async throws -> [TransferRun] {
        guard !ids.isEmpty else { return [] }
        return try await readRuns("\(unescaped: Self.runColumns) WHERE r.uuid = ANY(\(ids)::text[]) ORDER BY r.uuid")
    }

    private func readRuns(_ query: PostgresQuery) async throws -> [TransferRun] {
        try await read { session in
            var rows: [(Int64, String, Int64, String, String, Int64, Int64?, String, String?, String, String)] = []
            let found = try await session.rows(query)
            for try await row in found.decode(
                (Int64, String, Int64, String, String, Int64, Int64?, String, String?, String, String).self)
            {
                rows.append(row)
            }
            guard !rows.isEmpty else { return [] }
            let details = try await Self.transferDetails(session, rowIDs: rows.map(\.0))
            return rows.map { row in
                TransferRun(
                    id: row.1, experimentID: row.2, name: row.3, status: row.4, startTime: row.5, endTime: row.6,
                    lifecycle: row.7, parentID: row.8, artifactURI: row.9, userID: row.10,
                    params: details.params[row.0] ?? [], tags: details.tags[row.0] ?? [],
                    latestMetrics: details.latest[row.0] ?? [], inputs: details.inputs[row.0] ?? [])
            }
        }
    }

    /// The params, tags, latest metrics and inputs of runs, by storage id.
    private static func transferDetails(_ session: Session, rowIDs: [Int64]) async throws -> (
        params: [Int64: [KeyValue]], tags: [Int64: [Tag]], latest: [Int64: [TransferLatestMetric]],
        inputs: [Int64: [TransferInput]]
    ) {
        var params: [Int64: [KeyValue]] = [:]
        let paramRows = try await session.rows(
            "SELECT run_id, key, value FROM params WHERE run_id = ANY(\(rowIDs)::bigint[]) ORDER BY run_id, key")
        for try await (id, key, value) in paramRows.decode((Int64, String, String).self) {
            params[id, default: []].append(KeyValue(key: key, value: value))
        }
        var tags: [Int64: [Tag]] = [:]
        let tagRows = try await session.rows(
            "SELECT run_id, id, key, value FROM run_tags WHERE run_id = ANY(\(rowIDs)::bigint[]) ORDER BY id")
        for try await (id, tagID, key, value) in tagRows.decode((Int64, Int64, String, String).self) {
            tags[id, default: []].append(Tag(id: tagID, key: key, value: value))
        }
        var latest: [Int64: [TransferLatestMetric]] = [:]
        let latestRows = try await session.rows(
            """
            SELECT l.run_id, k.key, l.value, l.step, l.timestamp
            FROM latest_metrics l JOIN metric_keys k ON k.id = l.key_id WHERE l.run_id = ANY(\(rowIDs)::bigint[])
            ORDER BY l.run_id, k.key
            """)
        for try await (id, key, value, step, timestamp) in latestRows.decode(
            (Int64, String, Double?, Int64, Int64).self)
        {
            latest[id, default: []].append(
                TransferLatestMetric(key: key, value: value ?? .nan, step: step, timestamp: timestamp))
        }
        var inputTags: [Int64: [KeyValue]] = [:]
        let inputTagRows = try await session.rows(
            """
            SELECT t.input_id, t.key, t.value FROM run_input_tags t JOIN run_inputs i ON i.id = t.input_id
            WHERE i.run_id = ANY(\(rowIDs)::bigint[]) ORDER BY t.input_id, t.key
            """)
        for try await (id, key, value) in inputTagRows.decode((Int64, String, String).self) {
            inputTags[id, default: []].append(KeyValue(key: key, value: value))
        }
        var inputs: [Int64: [TransferInput]] = [:]
        let inputRows = try await session.rows(
            """
            SELECT i.id, i.run_id, d.name, d.digest, i.context FROM run_inputs i JOIN datasets d ON d.id = i.dataset_id
            WHERE i.run_id = ANY(\(rowIDs)::bigint[]) ORDER BY i.id
            """)
        for try await (id, runID, name, digest, context) in inputRows.decode(
            (Int64, Int64, String, String, String?).self)
        {
            inputs[runID, default: []].append(
                TransferInput(
                    datasetName: name, datasetDigest: digest, context: context ?? "", tags: inputTags[id] ?? []))
        }
        return (params, tags, latest, inputs)
    }

    public func exportParentLinks(after id: String?, limit: Int) async throws -> [TransferParentLink] {
        try await read { session in
            let base = "SELECT r.uuid, p.uuid FROM runs r JOIN runs p ON p.id = r.parent_run_id"
            let query: PostgresQuery =
                id.map { "\(unescaped: base) WHERE r.uuid > \($0) ORDER BY r.uuid LIMIT \(limit)" }
                ?? "\(unescaped: base) ORDER BY r.uuid LIMIT \(limit)"
            var links: [TransferParentLink] = []
            for try await (run, parent) in try await session.rows(query).decode((String, String).self) {
                links.append(TransferParentLink(runID: run, parentID: parent))
            }
            return links
        }
    }

    public func exportSeries(runIDs: [String]) async throws -> [String: [TransferSeries]] {
        guard !runIDs.isEmpty else { return [:] }
        return try await read { session in
            // The last chunk of each series through its primary key, not by reading every chunk key.
            let rows = try await session.rows(
                """
                SELECT r.uuid, k.key, s.chunks, s.points, last.first_step, last.first_timestamp
                FROM (SELECT run_id, key_id, count(*) AS chunks, sum(point_count)::bigint AS points
                      FROM metric_chunks WHERE run_id IN (SELECT id FROM runs WHERE uuid = ANY(\(runIDs)::text[]))
                      GROUP BY run_id, key_id) s
                CROSS JOIN LATERAL (
                    SELECT first_step, first_timestamp FROM metric_chunks c
                    WHERE c.run_id = s.run_id AND c.key_id = s.key_id
                    ORDER BY first_step DESC, first_timestamp DESC LIMIT 1) last
                JOIN runs r ON r.id = s.run_id JOIN metric_keys k ON k.id = s.key_id
                """)
            var series: [String: [TransferSeries]] = [:]
            for try await (run, key, chunks, points, step, timestamp) in rows.decode(
                (String, String, Int64, Int64, Int64, Int64).self)
            {
                series[run, default: []].append(
                    TransferSeries(
                        key: key, chunkCount: Int(chunks), pointCount: Int(points),
                        lastChunk: TransferPosition(step: step, timestamp: timestamp)))
            }
            return series.mapValues { $0.sorted { $0.key < $1.key } }
        }
    }

    public func exportChunks(runID: String, key: String, after: TransferPosition?, limit: Int) async throws
        -> [[MetricSample]]
    {
        try await read { session in
            let start = after ?? TransferPosition(step: .min, timestamp: .min)
            let comparison = after == nil ? ">=" : ">"
            let rows = try await session.rows(
                """
                SELECT point_count, points FROM metric_chunks
                WHERE run_id = (SELECT id FROM runs WHERE uuid = \(runID))
                  AND key_id = (SELECT id FROM metric_keys WHERE key = \(key))
                  AND (first_step, first_timestamp) \(unescaped: comparison) (\(start.step), \(start.timestamp))
                ORDER BY first_step, first_timestamp LIMIT \(limit)
                """)
            var chunks: [[MetricSample]] = []
            for try await (count, bytes) in rows.decode((Int32, ByteBuffer).self) {
                chunks.append(
                    try bytes.withUnsafeReadableBytes { try MetricChunk.decode($0, expectedCount: Int(count)) })
            }
            return chunks
        }
    }
}
