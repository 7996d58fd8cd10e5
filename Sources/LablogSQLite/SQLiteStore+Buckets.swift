import GRDB
import LablogCore

extension SQLiteStore {
    public func metricBuckets(
        runID: RunID, key: String, axis: ChartAxis, from: Int64?, to: Int64?, buckets: Int
    ) async throws -> [MetricBucket] {
        guard (1...10_000).contains(buckets) else {
            throw LablogError.invalidValue(field: "buckets", reason: "must be between 1 and 10000")
        }
        return try await perform {
            try await writer.read { db in
                let row = try Self.runRow(db, id: runID)
                guard let keyID = try Self.metricKeyID(db, key: key) else { throw LablogError.notFound(.metric, key) }
                guard
                    let series = try Self.chartChunks(
                        db, runID: row.rowID, keyID: keyID, axis: axis, from: from, to: to)
                else { throw LablogError.notFound(.metric, key) }
                guard let range = series.range else { return [] }
                var fold = MetricBucketFold(axis: axis, range: range, buckets: buckets)
                for chunk in series.chunks {
                    guard chunk.summary.range(on: axis).overlaps(range), !fold.add(chunk.summary) else { continue }
                    fold.add(try ChunkTable.points(db, chunk))
                }
                return fold.buckets
            }
        }
    }

    /// The chunks a chart reads, and its x range: the requested range within the series' own (nil when they do
    /// not meet). Nil when the series has no points. Chunks are ordered by step, so on the step axis the bounds
    /// come from the first and last chunks and only the chunks of the range are read; timestamps need not grow
    /// with steps, so on the time axis every summary is read once, for the bounds and the fold alike.
    private static func chartChunks(
        _ db: Database, runID: Int64, keyID: Int64, axis: ChartAxis, from: Int64?, to: Int64?
    ) throws -> (range: ClosedRange<Int64>?, chunks: [ChunkTable.Stored])? {
        var chunks: [ChunkTable.Stored] = []
        if axis == .time {
            try ChunkTable.forEach(db, runID: runID, keyID: keyID) { chunk in
                chunks.append(chunk)
                return true
            }
            guard let first = chunks.lazy.map(\.summary.minTimestamp).min(),
                let last = chunks.lazy.map(\.summary.maxTimestamp).max()
            else { return nil }
            return (clamp(first...last, from: from, to: to), chunks)
        }
        var first: Int64?
        try ChunkTable.forEach(db, runID: runID, keyID: keyID) { chunk in
            first = chunk.summary.first.step
            return false
        }
        guard let first, let last = try ChunkTable.last(db, runID: runID, keyID: keyID)?.summary.last.step else {
            return nil
        }
        guard let range = clamp(first...last, from: from, to: to) else { return (nil, []) }
        let start =
            try ChunkTable.chunkKey(
                db, runID: runID, keyID: keyID, covering: ChunkTable.Position(step: range.lowerBound, timestamp: .min))
            ?? .start
        try ChunkTable.forEach(db, runID: runID, keyID: keyID, from: start) { chunk in
            guard chunk.summary.first.step <= range.upperBound else { return false }
            chunks.append(chunk)
            return true
        }
        return (range, chunks)
    }

    /// `bounds` narrowed to `from...to` where given; nil when nothing is left.
    private static func clamp(_ bounds: ClosedRange<Int64>, from: Int64?, to: Int64?) -> ClosedRange<Int64>? {
        let low = max(from ?? bounds.lowerBound, bounds.lowerBound)
        let high = min(to ?? bounds.upperBound, bounds.upperBound)
        return low <= high ? low...high : nil
    }
}
