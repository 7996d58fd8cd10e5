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
                var chunks: [ChunkTable.Stored] = []
                try ChunkTable.forEach(db, runID: row.rowID, keyID: keyID) { chunk in
                    chunks.append(chunk)
                    return true
                }
                guard
                    let first = chunks.lazy.map({ $0.summary.range(on: axis).lowerBound }).min(),
                    let last = chunks.lazy.map({ $0.summary.range(on: axis).upperBound }).max()
                else { throw LablogError.notFound(.metric, key) }
                let low = max(from ?? first, first)
                let high = min(to ?? last, last)
                guard low <= high else { return [] }
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
}
