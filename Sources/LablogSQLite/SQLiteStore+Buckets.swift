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
                guard let bounds = try Self.bounds(db, runID: row.rowID, keyID: keyID, axis: axis) else {
                    throw LablogError.notFound(.metric, key)
                }
                let low = max(from ?? bounds.lowerBound, bounds.lowerBound)
                let high = min(to ?? bounds.upperBound, bounds.upperBound)
                guard low <= high else { return [] }
                // Chunks are ordered by step: on the step axis only those of the range are read.
                var start = ChunkTable.Position.start
                if axis == .step {
                    start =
                        try ChunkTable.chunkKey(
                            db, runID: row.rowID, keyID: keyID,
                            covering: ChunkTable.Position(step: low, timestamp: .min))
                        ?? .start
                }
                var chunks: [ChunkTable.Stored] = []
                try ChunkTable.forEach(db, runID: row.rowID, keyID: keyID, from: start) { chunk in
                    guard axis == .time || chunk.summary.first.step <= high else { return false }
                    chunks.append(chunk)
                    return true
                }
                var fold = MetricBucketFold(axis: axis, range: low...high, buckets: buckets)
                for chunk in chunks {
                    let xs = chunk.summary.range(on: axis)
                    guard xs.overlaps(low...high), !fold.add(chunk.summary) else { continue }
                    fold.add(try ChunkTable.points(db, chunk))
                }
                return fold.buckets
            }
        }
    }

    /// The smallest and largest x of a series: on the step axis from its first and last chunks, on the time axis
    /// from every chunk's summary (timestamps need not grow with steps).
    private static func bounds(
        _ db: Database, runID: Int64, keyID: Int64, axis: ChartAxis
    ) throws -> ClosedRange<Int64>? {
        var low = Int64.max
        var high = Int64.min
        if axis == .step {
            try ChunkTable.forEach(db, runID: runID, keyID: keyID) { chunk in
                low = chunk.summary.first.step
                return false
            }
            guard let last = try ChunkTable.last(db, runID: runID, keyID: keyID) else { return nil }
            high = last.summary.last.step
        } else {
            try ChunkTable.forEach(db, runID: runID, keyID: keyID) { chunk in
                low = min(low, chunk.summary.minTimestamp)
                high = max(high, chunk.summary.maxTimestamp)
                return true
            }
        }
        return low <= high ? low...high : nil
    }
}
