import GRDB
import LablogCore

extension SQLiteStore {
    public func metricBuckets(
        runID: RunID, key: String, axis: ChartAxis, from: Int64?, to: Int64?, buckets: Int
    ) async throws -> [MetricBucket] {
        guard (1...10_000).contains(buckets) else {
            throw LablogError.invalidValue(field: "buckets", reason: "must be between 1 and 10000")
        }
        let x = axis == .step ? "step" : "timestamp"
        return try await perform {
            try await writer.read { db in
                let row = try Self.runRow(db, id: runID)
                guard
                    let keyID = try Int64.fetchOne(
                        db, sql: "SELECT id FROM metric_keys WHERE key = ?", arguments: [key]),
                    let bounds = try Row.fetchOne(
                        db,
                        sql: "SELECT min(\(x)), max(\(x)) FROM metric_points WHERE run_id = ? AND key_id = ?",
                        arguments: [row.rowID, keyID]),
                    let first: Int64 = bounds[0], let last: Int64 = bounds[1]
                else { throw LablogError.notFound(.metric, key) }
                let low = max(from ?? first, first)
                let high = min(to ?? last, last)
                guard low <= high else { return [] }
                // Integer bucket arithmetic on Double avoids overflow for wide timestamp ranges.
                let width = Double(high - low + 1) / Double(buckets)
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT CAST((\(x) - ?) / ? AS INTEGER) AS bucket, min(\(x)), max(\(x)),
                               min(CASE WHEN is_nan THEN NULL ELSE value END),
                               max(CASE WHEN is_nan THEN NULL ELSE value END),
                               avg(CASE WHEN is_nan THEN NULL ELSE value END), count(*)
                        FROM metric_points
                        WHERE run_id = ? AND key_id = ? AND \(x) >= ? AND \(x) <= ?
                        GROUP BY bucket ORDER BY bucket
                        """,
                    arguments: [low, width, row.rowID, keyID, low, high])
                return rows.map { row in
                    MetricBucket(
                        xMin: row[1], xMax: row[2], minValue: row[3], maxValue: row[4], meanValue: row[5],
                        count: row[6])
                }
            }
        }
    }
}
