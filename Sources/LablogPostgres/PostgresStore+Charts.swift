import LablogCore
import PostgresNIO

extension PostgresStore {
    public func metricBuckets(
        runID: RunID, key: String, axis: ChartAxis, from: Int64?, to: Int64?, buckets: Int
    ) async throws -> [MetricBucket] {
        guard (1...10_000).contains(buckets) else {
            throw LablogError.invalidValue(field: "buckets", reason: "must be between 1 and 10000")
        }
        let x = axis == .step ? "step" : "timestamp"
        return try await read { session in
            let row = try await Self.runRow(session, id: runID)
            guard let keyID = try await Self.metricKeyID(session, key: key),
                let bounds = try await session.first(
                    PostgresQuery(
                        unsafeSQL: "SELECT min(\(x)), max(\(x)) FROM metric_points WHERE run_id = $1 AND key_id = $2",
                        binds: Self.binds(row.rowID, keyID))),
                case (let first?, let last?) = try bounds.decode((Int64?, Int64?).self)
            else { throw LablogError.notFound(.metric, key) }
            let low = max(from ?? first, first)
            let high = min(to ?? last, last)
            guard low <= high else { return [] }
            // Bucket widths in floating point: a timestamp range times the bucket count can overflow BIGINT.
            var sql = SQLBuilder()
            let width = Double(high - low + 1) / Double(buckets)
            let index =
                "least(\(sql.bind(buckets - 1)), floor((\(x) - \(sql.bind(low)))::double precision "
                + "/ \(sql.bind(width))))::integer"
            let text = """
                SELECT min(\(x)), max(\(x)), min(value) FILTER (WHERE NOT is_nan),
                       max(value) FILTER (WHERE NOT is_nan), avg(value) FILTER (WHERE NOT is_nan), count(*)
                FROM metric_points
                WHERE run_id = \(sql.bind(row.rowID)) AND key_id = \(sql.bind(keyID))
                  AND \(x) >= \(sql.bind(low)) AND \(x) <= \(sql.bind(high))
                GROUP BY \(index) ORDER BY \(index)
                """
            let rows = try await session.rows(sql.query(text))
            var result: [MetricBucket] = []
            for try await (xMin, xMax, minValue, maxValue, mean, count) in rows.decode(
                (Int64, Int64, Double?, Double?, Double?, Int).self)
            {
                result.append(
                    MetricBucket(
                        xMin: xMin, xMax: xMax, minValue: minValue, maxValue: maxValue, meanValue: mean, count: count))
            }
            return result
        }
    }

    public func sampledMetricHistories(
        runIDs: [RunID], key: String, startStep: Int64?, endStep: Int64?, maxResults: Int
    ) async throws -> [RunID: [MetricPoint]] {
        guard maxResults > 0 else {
            throw LablogError.invalidValue(field: "max_results", reason: "must be positive")
        }
        return try await read { session in
            guard let keyID = try await Self.metricKeyID(session, key: key) else { return [:] }
            var result: [RunID: [MetricPoint]] = [:]
            for runID in Set(runIDs) {
                let row = try await Self.runRow(session, id: runID)
                let low = startStep ?? Int64.min
                let high = endStep ?? Int64.max
                var steps: [Int64] = []
                let stepRows = try await session.rows(
                    """
                    SELECT DISTINCT step FROM metric_points
                    WHERE run_id = \(row.rowID) AND key_id = \(keyID) AND step >= \(low) AND step <= \(high)
                    ORDER BY step
                    """)
                for try await step in stepRows.decode(Int64.self) {
                    steps.append(step)
                }
                guard !steps.isEmpty else { continue }
                let chosen = Self.evenlySpaced(steps, count: maxResults)
                var points: [MetricPoint] = []
                let pointRows = try await session.rows(
                    """
                    SELECT step, timestamp, value, is_nan FROM metric_points
                    WHERE run_id = \(row.rowID) AND key_id = \(keyID) AND step = ANY(\(chosen)::bigint[])
                    ORDER BY step, timestamp, value, is_nan
                    """)
                for try await (step, timestamp, value, isNaN) in pointRows.decode((Int64, Int64, Double, Bool).self) {
                    points.append(MetricPoint(key: key, value: isNaN ? .nan : value, step: step, timestamp: timestamp))
                }
                result[runID] = points
            }
            return result
        }
    }

    /// At most `count` elements of `sorted`, evenly spaced, always keeping the first and the last.
    static func evenlySpaced(_ sorted: [Int64], count: Int) -> [Int64] {
        guard sorted.count > count else { return sorted }
        guard count > 1 else { return [sorted[0]] }
        let last = sorted.count - 1
        return (0..<count).map { index in sorted[index * last / (count - 1)] }
    }

    /// Bindings of the given values, in order.
    static func binds(_ values: Int64...) -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { binds.append(value) }
        return binds
    }
}
