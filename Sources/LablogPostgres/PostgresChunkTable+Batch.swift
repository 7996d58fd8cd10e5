import LablogCore
import PostgresNIO

extension PostgresChunkTable {
    /// Stores the points of several series of one run, as ``append(_:runID:keyID:samples:)`` does for each, in a
    /// fixed number of round trips: one statement locks every series (in key order), one reads every open
    /// chunk, one extends them and one inserts the new chunks. A series with points before its last stored
    /// point takes the one-series path, which merges them in place.
    static func append(
        _ session: Session, runID: Int64, series: [(keyID: Int64, samples: [MetricSample])]
    ) async throws {
        let series = series.filter { !$0.samples.isEmpty }.sorted { $0.keyID < $1.keyID }
        guard !series.isEmpty else { return }
        let keyIDs = series.map(\.keyID)
        try await session.execute(
            """
            SELECT pg_advisory_xact_lock(l.key)
            FROM (SELECT key FROM unnest(\(keyIDs.map { lockKey(runID: runID, keyID: $0) })::bigint[])
                  WITH ORDINALITY AS k (key, position) ORDER BY position) AS l
            """, prepared: LockSeries.self)
        var tails: [Int64: Stored] = [:]
        let rows = try await session.all(
            """
            SELECT DISTINCT ON (key_id) key_id, \(unescaped: columns) FROM metric_chunks
            WHERE run_id = \(runID) AND key_id = ANY(\(keyIDs)::bigint[])
            ORDER BY key_id, first_step DESC, first_timestamp DESC
            """, prepared: OpenChunks.self)
        for row in rows {
            let c = try row.decode(
                (
                    Int64, Int64, Int64, Double, Int64, Int64, Double, Int64, Int64, Int32, Int32, Double?, Double?,
                    Double
                )
                .self)
            tails[c.0] = summary((c.1, c.2, c.3, c.4, c.5, c.6, c.7, c.8, c.9, c.10, c.11, c.12, c.13))
        }
        var extended: [(keyID: Int64, previous: Stored, summary: Stored, bytes: [UInt8])] = []
        var chunks: [(keyID: Int64, samples: ArraySlice<MetricSample>)] = []
        for (keyID, samples) in series {
            var pending = samples[...]
            if let tail = tails[keyID] {
                guard let first = pending.first, tail.last.precedes(first) else {
                    try await append(session, runID: runID, keyID: keyID, samples: samples)
                    continue
                }
                let taken = MetricChunk.appendableCount(pending, to: tail)
                if taken > 0 {
                    let head = pending.prefix(taken)
                    var summary = tail
                    summary.extend(with: head)
                    extended.append((keyID, tail, summary, MetricChunk.encode(head, after: tail.last)))
                    pending = pending.dropFirst(taken)
                }
            }
            chunks += MetricChunk.split(pending).map { (keyID, $0) }
        }
        try await extend(session, runID: runID, extended)
        try await insert(session, runID: runID, chunks: chunks)
    }

    /// Appends encoded points to open chunks and stores their new summaries, in one statement. A chunk keeps
    /// its key: appended points follow its first one.
    private static func extend(
        _ session: Session, runID: Int64, _ chunks: [(keyID: Int64, previous: Stored, summary: Stored, bytes: [UInt8])]
    ) async throws {
        guard !chunks.isEmpty else { return }
        let summaries = chunks.map(\.summary)
        try await session.execute(
            """
            UPDATE metric_chunks AS c SET points = c.points || u.points, last_step = u.ls, last_timestamp = u.lt,
                last_value = u.lv, min_timestamp = u.tmin, max_timestamp = u.tmax, point_count = u.n,
                value_count = u.nv, min_value = nullif(u.vmin, 'NaN'), max_value = nullif(u.vmax, 'NaN'),
                value_sum = u.total
            FROM unnest(
                \(chunks.map(\.keyID))::bigint[], \(chunks.map(\.previous.first.step))::bigint[],
                \(chunks.map(\.previous.first.timestamp))::bigint[],
                \(chunks.map { ByteBuffer(bytes: $0.bytes) })::bytea[],
                \(summaries.map(\.last.step))::bigint[], \(summaries.map(\.last.timestamp))::bigint[],
                \(summaries.map(\.last.value))::double precision[], \(summaries.map(\.minTimestamp))::bigint[],
                \(summaries.map(\.maxTimestamp))::bigint[], \(summaries.map { Int32($0.count) })::integer[],
                \(summaries.map { Int32($0.valueCount) })::integer[],
                \(summaries.map { $0.minValue ?? .nan })::double precision[],
                \(summaries.map { $0.maxValue ?? .nan })::double precision[],
                \(summaries.map(\.sum))::double precision[])
                AS u (key_id, fs, ft, points, ls, lt, lv, tmin, tmax, n, nv, vmin, vmax, total)
            WHERE c.run_id = \(runID) AND c.key_id = u.key_id AND c.first_step = u.fs AND c.first_timestamp = u.ft
            """, prepared: ExtendChunks.self)
    }
}

private enum LockSeries: PreparedName {}
private enum OpenChunks: PreparedName {}
private enum ExtendChunks: PreparedName {}
