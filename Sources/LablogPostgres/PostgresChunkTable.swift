import LablogCore
import PostgresNIO

/// Metric histories in PostgreSQL: one `metric_chunks` row per chunk of points (see ``MetricChunk``), its
/// summary in plain columns and its points in a `bytea` column. PostgreSQL keeps a chunk's points out of line
/// (TOAST) once they pass about 2 kB, so bounds and chart buckets read narrow summary rows and fetch points only
/// for the chunks a request needs. NaN is stored as NaN: PostgreSQL's floats hold it.
///
/// Writers of one series take a transaction-scoped advisory lock on it first, so two processes appending to
/// the same open chunk apply their points one after the other instead of overwriting each other's.
enum PostgresChunkTable {
    /// A stored chunk's summary; its first point's step and timestamp are its key.
    typealias Stored = MetricChunkSummary

    /// The position a chunk is keyed by, and the one a point falls under.
    typealias Position = MetricChunk.Position

    static let columns = """
        first_step, first_timestamp, first_value, last_step, last_timestamp, last_value, min_timestamp,
        max_timestamp, point_count, value_count, min_value, max_value, value_sum
        """

    // MARK: Writing

    /// The advisory lock key of a series, taken until the transaction ends by every writer of the series: one
    /// 64-bit key per series; two series sharing a key only wait for each other.
    static func lockKey(runID: Int64, keyID: Int64) -> Int64 {
        Int64(bitPattern: UInt64(bitPattern: runID) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: keyID))
    }

    /// Stores `samples` (in history order, without repeats) in the series, each point once: points after the
    /// series' last point are appended to its open chunk and then to new chunks; earlier ones are merged into
    /// the chunks whose range they fall in, and a repeat of a stored point changes nothing. The caller holds
    /// the series' lock (see ``lockKey(runID:keyID:)``).
    static func append(_ session: Session, runID: Int64, keyID: Int64, samples: [MetricSample]) async throws {
        guard !samples.isEmpty else { return }
        var tail = try await last(session, runID: runID, keyID: keyID)
        var pending = samples[...]
        if let current = tail {
            let boundary = pending.firstIndex { current.last.precedes($0) } ?? pending.endIndex
            if boundary > pending.startIndex {
                try await merge(session, runID: runID, keyID: keyID, samples: pending[..<boundary])
                pending = pending[boundary...]
                guard !pending.isEmpty else { return }
                tail = try await last(session, runID: runID, keyID: keyID)
            }
        }
        if let tail {
            let taken = MetricChunk.appendableCount(pending, to: tail)
            if taken > 0 {
                let head = pending.prefix(taken)
                var summary = tail
                summary.extend(with: head)
                // Only the new points travel: the server appends them to the stored bytes.
                let bytes = ByteBuffer(bytes: MetricChunk.encode(head, after: tail.last))
                var sql = SQLBuilder()
                let assignments = summaryAssignments(summary, sql: &sql)
                let text = """
                    UPDATE metric_chunks SET points = points || \(sql.bind(bytes)), \(assignments)
                    WHERE run_id = \(sql.bind(runID)) AND key_id = \(sql.bind(keyID))
                      AND first_step = \(sql.bind(tail.first.step))
                      AND first_timestamp = \(sql.bind(tail.first.timestamp))
                    """
                try await session.execute(sql.query(text))
                pending = pending.dropFirst(taken)
            }
        }
        try await insert(session, runID: runID, keyID: keyID, chunks: MetricChunk.split(pending))
    }

    /// Merges points that do not follow the series' last point into the chunks covering their positions.
    private static func merge(
        _ session: Session, runID: Int64, keyID: Int64, samples: ArraySlice<MetricSample>
    ) async throws {
        guard let first = samples.first, let lastSample = samples.last else { return }
        let start = try await chunkKey(session, runID: runID, keyID: keyID, covering: Position(first)) ?? .start
        let end = Position(lastSample)
        var chunks: [Stored] = []
        // The chunks from the one covering the first point to the one covering the last; points before every
        // chunk go into the first.
        let rows = try await session.rows(
            """
            SELECT \(unescaped: columns) FROM metric_chunks
            WHERE run_id = \(runID) AND key_id = \(keyID)
              AND (first_step, first_timestamp) >= (\(start.step), \(start.timestamp))
              AND ((first_step, first_timestamp) <= (\(end.step), \(end.timestamp))
                   OR (first_step, first_timestamp) = (
                       SELECT first_step, first_timestamp FROM metric_chunks
                       WHERE run_id = \(runID) AND key_id = \(keyID)
                         AND (first_step, first_timestamp) >= (\(start.step), \(start.timestamp))
                       ORDER BY first_step, first_timestamp LIMIT 1))
            ORDER BY first_step, first_timestamp
            """)
        for try await row in rows {
            chunks.append(try summary(row))
        }
        let dealt = MetricChunk.deal(samples, toChunksStartingAt: chunks.map { Position($0.first) })
        for (chunk, mine) in zip(chunks, dealt) where !mine.isEmpty {
            let stored = try await points(session, runID: runID, keyID: keyID, chunks: [chunk])
            let merged = stored.merged(with: Array(mine))
            guard merged.count > stored.count else { continue }
            try await session.execute(
                """
                DELETE FROM metric_chunks WHERE run_id = \(runID) AND key_id = \(keyID)
                  AND first_step = \(chunk.first.step) AND first_timestamp = \(chunk.first.timestamp)
                """)
            try await insert(session, runID: runID, keyID: keyID, chunks: MetricChunk.rechunk(merged))
        }
    }

    /// Inserts whole chunks of one series in one statement.
    static func insert(
        _ session: Session, runID: Int64, keyID: Int64, chunks: [ArraySlice<MetricSample>]
    ) async throws {
        try await insert(session, runID: runID, chunks: chunks.map { (keyID, $0) })
    }

    /// Inserts whole chunks of a run's series in one statement.
    static func insert(
        _ session: Session, runID: Int64, chunks: [(keyID: Int64, samples: ArraySlice<MetricSample>)]
    ) async throws {
        let chunks = chunks.filter { !$0.samples.isEmpty }
        let summaries = chunks.compactMap { MetricChunkSummary($0.samples) }
        guard !summaries.isEmpty else { return }
        let bytes = chunks.map { ByteBuffer(bytes: MetricChunk.encode($0.samples)) }
        // The client's arrays hold no NULLs: a chunk without values sends NaN extremes, stored as NULL (NaN is
        // never an extreme otherwise).
        try await session.execute(
            """
            INSERT INTO metric_chunks (run_id, key_id, \(unescaped: columns), points)
            SELECT \(runID), c.key_id, c.fs, c.ft, c.fv, c.ls, c.lt, c.lv, c.tmin, c.tmax, c.n, c.nv,
                   nullif(c.vmin, 'NaN'), nullif(c.vmax, 'NaN'), c.total, c.points
            FROM unnest(
                \(chunks.map(\.keyID))::bigint[],
                \(summaries.map(\.first.step))::bigint[], \(summaries.map(\.first.timestamp))::bigint[],
                \(summaries.map(\.first.value))::double precision[], \(summaries.map(\.last.step))::bigint[],
                \(summaries.map(\.last.timestamp))::bigint[], \(summaries.map(\.last.value))::double precision[],
                \(summaries.map(\.minTimestamp))::bigint[], \(summaries.map(\.maxTimestamp))::bigint[],
                \(summaries.map { Int32($0.count) })::integer[], \(summaries.map { Int32($0.valueCount) })::integer[],
                \(summaries.map { $0.minValue ?? .nan })::double precision[],
                \(summaries.map { $0.maxValue ?? .nan })::double precision[],
                \(summaries.map(\.sum))::double precision[], \(bytes)::bytea[])
                AS c (key_id, fs, ft, fv, ls, lt, lv, tmin, tmax, n, nv, vmin, vmax, total, points)
            """, prepared: InsertChunks.self)
    }

    /// `column = $n, ...` for every summary column.
    private static func summaryAssignments(_ summary: MetricChunkSummary, sql: inout SQLBuilder) -> String {
        """
        first_step = \(sql.bind(summary.first.step)), first_timestamp = \(sql.bind(summary.first.timestamp)),
        first_value = \(sql.bind(summary.first.value)), last_step = \(sql.bind(summary.last.step)),
        last_timestamp = \(sql.bind(summary.last.timestamp)), last_value = \(sql.bind(summary.last.value)),
        min_timestamp = \(sql.bind(summary.minTimestamp)), max_timestamp = \(sql.bind(summary.maxTimestamp)),
        point_count = \(sql.bind(Int32(summary.count))), value_count = \(sql.bind(Int32(summary.valueCount))),
        min_value = \(sql.bind(summary.minValue)), max_value = \(sql.bind(summary.maxValue)),
        value_sum = \(sql.bind(summary.sum))
        """
    }

    // MARK: Reading

    /// The last chunk of a series, the open one new points are appended to.
    static func last(_ session: Session, runID: Int64, keyID: Int64) async throws -> Stored? {
        let row = try await session.first(
            """
            SELECT \(unescaped: columns) FROM metric_chunks WHERE run_id = \(runID) AND key_id = \(keyID)
            ORDER BY first_step DESC, first_timestamp DESC LIMIT 1
            """)
        return try row.map(summary)
    }

    /// Every chunk summary of a series, in history order.
    static func summaries(_ session: Session, runID: Int64, keyID: Int64) async throws -> [Stored] {
        var chunks: [Stored] = []
        let rows = try await session.rows(
            """
            SELECT \(unescaped: columns) FROM metric_chunks WHERE run_id = \(runID) AND key_id = \(keyID)
            ORDER BY first_step, first_timestamp
            """)
        for try await row in rows {
            chunks.append(try summary(row))
        }
        return chunks
    }

    /// The key of the chunk a point at `position` belongs to: the last chunk starting at or before it, or nil
    /// when the position precedes every chunk.
    static func chunkKey(
        _ session: Session, runID: Int64, keyID: Int64, covering position: Position
    ) async throws -> Position? {
        let row = try await session.first(
            """
            SELECT first_step, first_timestamp FROM metric_chunks
            WHERE run_id = \(runID) AND key_id = \(keyID)
              AND (first_step, first_timestamp) <= (\(position.step), \(position.timestamp))
            ORDER BY first_step DESC, first_timestamp DESC LIMIT 1
            """)
        guard let (step, timestamp) = try row?.decode((Int64, Int64).self) else { return nil }
        return Position(step: step, timestamp: timestamp)
    }

    /// Visits the points of a series in history order, starting with the chunk covering `start`, while `body`
    /// returns true. Chunks are read a few at a time, so a long history is never held whole.
    static func forEachSample(
        _ session: Session, runID: Int64, keyID: Int64, from start: Position = .start,
        _ body: (MetricSample) throws -> Bool
    ) async throws {
        var next = try await chunkKey(session, runID: runID, keyID: keyID, covering: start) ?? .start
        var inclusive = true
        let batch = 8
        while true {
            let after = inclusive ? ">=" : ">"
            let rows = try await session.rows(
                """
                SELECT first_step, first_timestamp, point_count, points FROM metric_chunks
                WHERE run_id = \(runID) AND key_id = \(keyID)
                  AND (first_step, first_timestamp) \(unescaped: after) (\(next.step), \(next.timestamp))
                ORDER BY first_step, first_timestamp LIMIT \(batch)
                """)
            var chunks: [(Position, [MetricSample])] = []
            for try await (step, timestamp, count, bytes) in rows.decode((Int64, Int64, Int32, ByteBuffer).self) {
                chunks.append((Position(step: step, timestamp: timestamp), try decode(bytes, count: Int(count))))
            }
            for (_, samples) in chunks {
                for sample in samples where try !body(sample) {
                    return
                }
            }
            guard chunks.count == batch, let last = chunks.last?.0 else { return }
            next = last
            inclusive = false
        }
    }

    /// The points of the given chunks of a series, in history order.
    static func points(_ session: Session, runID: Int64, keyID: Int64, chunks: [Stored]) async throws
        -> [MetricSample]
    {
        try await pointsByChunk(session, runID: runID, keyID: keyID, chunks: chunks).flatMap(\.samples)
    }

    /// The points of each of the given chunks of a series, chunk by chunk in history order.
    static func pointsByChunk(_ session: Session, runID: Int64, keyID: Int64, chunks: [Stored]) async throws
        -> [(key: Position, samples: [MetricSample])]
    {
        guard !chunks.isEmpty else { return [] }
        let rows = try await session.rows(
            """
            SELECT first_step, first_timestamp, point_count, points FROM metric_chunks
            WHERE run_id = \(runID) AND key_id = \(keyID) AND (first_step, first_timestamp) IN (
                SELECT * FROM unnest(\(chunks.map(\.first.step))::bigint[], \(chunks.map(\.first.timestamp))::bigint[]))
            ORDER BY first_step, first_timestamp
            """)
        var result: [(key: Position, samples: [MetricSample])] = []
        for try await (step, timestamp, count, bytes) in rows.decode((Int64, Int64, Int32, ByteBuffer).self) {
            result.append((Position(step: step, timestamp: timestamp), try decode(bytes, count: Int(count))))
        }
        return result
    }

    private static func decode(_ bytes: ByteBuffer, count: Int) throws -> [MetricSample] {
        try bytes.withUnsafeReadableBytes { try MetricChunk.decode($0, expectedCount: count) }
    }

    /// The values of `columns`, in order.
    typealias SummaryColumns = (
        Int64, Int64, Double, Int64, Int64, Double, Int64, Int64, Int32, Int32, Double?, Double?, Double
    )

    /// A summary from the `columns` of a row.
    static func summary(_ row: PostgresRow) throws -> Stored {
        summary(try row.decode(SummaryColumns.self))
    }

    /// A summary from the values of `columns`.
    static func summary(_ columns: SummaryColumns) -> Stored {
        MetricChunkSummary(
            first: MetricSample(step: columns.0, timestamp: columns.1, value: columns.2),
            last: MetricSample(step: columns.3, timestamp: columns.4, value: columns.5), minTimestamp: columns.6,
            maxTimestamp: columns.7, count: Int(columns.8), valueCount: Int(columns.9), minValue: columns.10,
            maxValue: columns.11, sum: columns.12)
    }
}

private enum InsertChunks: PreparedName {}
