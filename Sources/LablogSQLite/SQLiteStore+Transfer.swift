import Foundation
import GRDB
public import LablogCore

/// Reading for copies between backends (see ``StoreTransfer``); the writing side is in
/// `SQLiteStore+TransferImport.swift`.
extension SQLiteStore: StoreTransfer {
    public func transferCounts() async throws -> TransferCounts {
        try await perform {
            try await writer.read { db in
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT (SELECT count(*) FROM experiments), (SELECT count(*) FROM experiment_tags),
                               (SELECT count(*) FROM datasets), (SELECT count(*) FROM runs),
                               (SELECT count(*) FROM params), (SELECT count(*) FROM run_tags),
                               (SELECT count(*) FROM latest_metrics), (SELECT count(*) FROM run_inputs),
                               (SELECT count(*) FROM run_input_tags), (SELECT count(*) FROM metric_chunks),
                               (SELECT coalesce(sum(point_count), 0) FROM metric_chunks)
                        """)
                var counts = TransferCounts()
                guard let row else { return counts }
                counts.experiments = row[0]
                counts.experimentTags = row[1]
                counts.datasets = row[2]
                counts.runs = row[3]
                counts.params = row[4]
                counts.runTags = row[5]
                counts.latestMetrics = row[6]
                counts.inputs = row[7]
                counts.inputTags = row[8]
                counts.chunks = row[9]
                counts.points = row[10]
                return counts
            }
        }
    }

    public func exportExperiments(after id: ExperimentID?, limit: Int) async throws -> [TransferExperiment] {
        try await readExperiments(
            where: id == nil ? "1" : "id > ?", arguments: id.map { [$0] } ?? [], limit: limit)
    }

    public func exportExperiments(ids: [ExperimentID]) async throws -> [TransferExperiment] {
        guard !ids.isEmpty else { return [] }
        return try await readExperiments(
            where: "id IN (\(databaseQuestionMarks(count: ids.count)))", arguments: StatementArguments(ids),
            limit: ids.count)
    }

    private func readExperiments(where condition: String, arguments: StatementArguments, limit: Int) async throws
        -> [TransferExperiment]
    {
        try await perform {
            try await writer.read { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, name, description, status, lifecycle, artifact_location, created_at, updated_at,
                               run_count, last_run_at
                        FROM experiments WHERE \(condition) ORDER BY id LIMIT \(limit)
                        """, arguments: arguments)
                guard !rows.isEmpty else { return [] }
                let ids: [Int64] = rows.map { $0[0] }
                var tags: [Int64: [Tag]] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT experiment_id, id, key, value FROM experiment_tags
                        WHERE experiment_id IN (\(databaseQuestionMarks(count: ids.count))) ORDER BY id
                        """, arguments: StatementArguments(ids))
                {
                    tags[row[0], default: []].append(Tag(id: row[1], key: row[2], value: row[3]))
                }
                return rows.map { row in
                    TransferExperiment(
                        id: row[0], name: row[1], description: row[2], status: row[3], lifecycle: row[4],
                        artifactLocation: row[5], createdAt: row[6], updatedAt: row[7], runCount: row[8],
                        lastRunAt: row[9], tags: tags[row[0]] ?? [])
                }
            }
        }
    }

    public func exportDatasets(after: TransferDataset?, limit: Int) async throws -> [TransferDataset] {
        try await perform {
            try await writer.read { db in
                let condition = after == nil ? "1" : "(experiment_id, name, digest) > (?, ?, ?)"
                let arguments: StatementArguments = after.map { [$0.experimentID, $0.name, $0.digest] } ?? []
                return try Row.fetchAll(
                    db,
                    sql: """
                        SELECT experiment_id, name, digest, source_type, source, schema, profile FROM datasets
                        WHERE \(condition) ORDER BY experiment_id, name, digest LIMIT \(limit)
                        """, arguments: arguments
                ).map { row in
                    TransferDataset(
                        experimentID: row[0], name: row[1], digest: row[2], sourceType: row[3], source: row[4],
                        schema: row[5], profile: row[6])
                }
            }
        }
    }

    public func exportRuns(after id: String?, limit: Int) async throws -> [TransferRun] {
        try await readRuns(where: id == nil ? "1" : "r.uuid > ?", arguments: id.map { [$0] } ?? [], limit: limit)
    }

    public func exportRuns(ids: [String]) async throws -> [TransferRun] {
        guard !ids.isEmpty else { return [] }
        return try await readRuns(
            where: "r.uuid IN (\(databaseQuestionMarks(count: ids.count)))", arguments: StatementArguments(ids),
            limit: ids.count)
    }

    private func readRuns(where condition: String, arguments: StatementArguments, limit: Int) async throws
        -> [TransferRun]
    {
        try await perform {
            try await writer.read { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT r.id, r.uuid, r.experiment_id, r.name, r.status, r.start_time, r.end_time, r.lifecycle,
                               p.uuid, r.artifact_uri, r.user_id
                        FROM runs r LEFT JOIN runs p ON p.id = r.parent_run_id
                        WHERE \(condition) ORDER BY r.uuid LIMIT \(limit)
                        """, arguments: arguments)
                guard !rows.isEmpty else { return [] }
                let rowIDs: [Int64] = rows.map { $0[0] }
                let details = try Self.transferDetails(db, rowIDs: rowIDs)
                return rows.map { row in
                    let rowID: Int64 = row[0]
                    return TransferRun(
                        id: row[1], experimentID: row[2], name: row[3], status: row[4], startTime: row[5],
                        endTime: row[6], lifecycle: row[7], parentID: row[8], artifactURI: row[9], userID: row[10],
                        params: details.params[rowID] ?? [], tags: details.tags[rowID] ?? [],
                        latestMetrics: details.latest[rowID] ?? [], inputs: details.inputs[rowID] ?? [])
                }
            }
        }
    }

    /// The params, tags, latest metrics and inputs of runs, by storage id.
    private static func transferDetails(_ db: Database, rowIDs: [Int64]) throws -> (
        params: [Int64: [KeyValue]], tags: [Int64: [Tag]], latest: [Int64: [TransferLatestMetric]],
        inputs: [Int64: [TransferInput]]
    ) {
        let list = databaseQuestionMarks(count: rowIDs.count)
        let arguments = StatementArguments(rowIDs)
        var params: [Int64: [KeyValue]] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT run_id, key, value FROM params WHERE run_id IN (\(list)) ORDER BY run_id, key",
            arguments: arguments)
        {
            params[row[0], default: []].append(KeyValue(key: row[1], value: row[2]))
        }
        var tags: [Int64: [Tag]] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT run_id, id, key, value FROM run_tags WHERE run_id IN (\(list)) ORDER BY id",
            arguments: arguments)
        {
            tags[row[0], default: []].append(Tag(id: row[1], key: row[2], value: row[3]))
        }
        var latest: [Int64: [TransferLatestMetric]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT l.run_id, k.key, l.value, l.step, l.timestamp
                FROM latest_metrics l JOIN metric_keys k ON k.id = l.key_id WHERE l.run_id IN (\(list))
                ORDER BY l.run_id, k.key
                """, arguments: arguments)
        {
            let value: Double? = row[2]
            latest[row[0], default: []].append(
                TransferLatestMetric(key: row[1], value: value ?? .nan, step: row[3], timestamp: row[4]))
        }
        var inputTags: [Int64: [KeyValue]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT t.input_id, t.key, t.value FROM run_input_tags t JOIN run_inputs i ON i.id = t.input_id
                WHERE i.run_id IN (\(list)) ORDER BY t.input_id, t.key
                """, arguments: arguments)
        {
            inputTags[row[0], default: []].append(KeyValue(key: row[1], value: row[2]))
        }
        var inputs: [Int64: [TransferInput]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT i.id, i.run_id, d.name, d.digest, i.context
                FROM run_inputs i JOIN datasets d ON d.id = i.dataset_id
                WHERE i.run_id IN (\(list)) ORDER BY i.id
                """, arguments: arguments)
        {
            let context: String? = row[4]
            inputs[row[1], default: []].append(
                TransferInput(
                    datasetName: row[2], datasetDigest: row[3], context: context ?? "", tags: inputTags[row[0]] ?? []))
        }
        return (params, tags, latest, inputs)
    }

    public func exportParentLinks(after id: String?, limit: Int) async throws -> [TransferParentLink] {
        try await perform {
            try await writer.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT r.uuid, p.uuid FROM runs r JOIN runs p ON p.id = r.parent_run_id
                        WHERE \(id == nil ? "1" : "r.uuid > ?") ORDER BY r.uuid LIMIT \(limit)
                        """, arguments: id.map { [$0] } ?? []
                ).map { TransferParentLink(runID: $0[0], parentID: $0[1]) }
            }
        }
    }

    public func exportSeries(runIDs: [String]) async throws -> [String: [TransferSeries]] {
        guard !runIDs.isEmpty else { return [:] }
        return try await perform {
            try await writer.read { db in
                // The last chunk of each series through its primary key, not by reading every chunk key.
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT r.uuid, k.key, s.chunks, s.points,
                               (SELECT first_step FROM metric_chunks c WHERE c.run_id = s.run_id AND c.key_id = s.key_id
                                ORDER BY first_step DESC, first_timestamp DESC LIMIT 1),
                               (SELECT first_timestamp FROM metric_chunks c WHERE c.run_id = s.run_id
                                  AND c.key_id = s.key_id ORDER BY first_step DESC, first_timestamp DESC LIMIT 1)
                        FROM (SELECT run_id, key_id, count(*) AS chunks, sum(point_count) AS points FROM metric_chunks
                              WHERE run_id IN (SELECT id FROM runs WHERE uuid IN
                                               (\(databaseQuestionMarks(count: runIDs.count))))
                              GROUP BY run_id, key_id) s
                        JOIN runs r ON r.id = s.run_id JOIN metric_keys k ON k.id = s.key_id
                        """, arguments: StatementArguments(runIDs))
                var series: [String: [TransferSeries]] = [:]
                for row in rows {
                    series[row[0], default: []].append(
                        TransferSeries(
                            key: row[1], chunkCount: row[2], pointCount: row[3],
                            lastChunk: TransferPosition(step: row[4], timestamp: row[5])))
                }
                return series.mapValues { $0.sorted { $0.key < $1.key } }
            }
        }
    }

    public func exportChunks(runID: String, key: String, after: TransferPosition?, limit: Int) async throws
        -> [[MetricSample]]
    {
        try await perform {
            try await writer.read { db in
                var arguments: StatementArguments = [runID, key]
                if let after { arguments += [after.step, after.timestamp] }
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.point_count, c.point_bytes, p.points
                        FROM metric_chunks c JOIN metric_chunk_points p ON p.id = c.points_id
                        WHERE c.run_id = (SELECT id FROM runs WHERE uuid = ?)
                          AND c.key_id = (SELECT id FROM metric_keys WHERE key = ?)
                          AND \(after == nil ? "1" : "(c.first_step, c.first_timestamp) > (?, ?)")
                        ORDER BY c.first_step, c.first_timestamp LIMIT \(limit)
                        """, arguments: arguments)
                return try rows.map { row in
                    let count: Int = row[0]
                    let byteCount: Int = row[1]
                    let bytes: Data = row[2]
                    guard bytes.count >= byteCount else {
                        throw LablogError.storageUnavailable("a stored metric chunk is damaged")
                    }
                    return try bytes.prefix(byteCount).withUnsafeBytes {
                        try MetricChunk.decode($0, expectedCount: count)
                    }
                }
            }
        }
    }
}
