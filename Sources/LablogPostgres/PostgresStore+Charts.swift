import LablogCore
import PostgresNIO

extension PostgresStore {
    public func metricBuckets(
        runID: RunID, key: String, axis: ChartAxis, from: Int64?, to: Int64?, buckets: Int
    ) async throws -> [MetricBucket] {
        guard (1...10_000).contains(buckets) else {
            throw LablogError.invalidValue(field: "buckets", reason: "must be between 1 and 10000")
        }
        return try await read { session in
            let row = try await Self.runRow(session, id: runID)
            guard let keyID = try await Self.metricKeyID(session, key: key) else {
                throw LablogError.notFound(.metric, key)
            }
            let chunks = try await PostgresChunkTable.summaries(session, runID: row.rowID, keyID: keyID)
            guard
                let first = chunks.lazy.map({ $0.range(on: axis).lowerBound }).min(),
                let last = chunks.lazy.map({ $0.range(on: axis).upperBound }).max()
            else { throw LablogError.notFound(.metric, key) }
            let low = max(from ?? first, first)
            let high = min(to ?? last, last)
            guard low <= high else { return [] }
            // Chunks inside one bucket fold through their summaries; the points of the others are fetched in one
            // query first, then everything is folded in history order (a bucket's first and last values depend
            // on it). The prediction uses the fold's own bucket rule; a chunk it misjudged is read on its own.
            let range = low...high
            let width = (Double(high) - Double(low) + 1) / Double(buckets)
            func bucket(_ x: Int64) -> Int { min(buckets - 1, Int((Double(x) - Double(low)) / width)) }
            let overlapping = chunks.filter { $0.range(on: axis).overlaps(range) }
            let straddling = overlapping.filter { chunk in
                let xs = chunk.range(on: axis)
                return !range.contains(xs.lowerBound) || !range.contains(xs.upperBound)
                    || bucket(xs.lowerBound) != bucket(xs.upperBound)
            }
            var points: [PostgresChunkTable.Position: [MetricSample]] = [:]
            for chunk in try await PostgresChunkTable.pointsByChunk(
                session, runID: row.rowID, keyID: keyID, chunks: straddling)
            {
                points[chunk.key] = chunk.samples
            }
            var fold = MetricBucketFold(axis: axis, range: range, buckets: buckets)
            for chunk in overlapping {
                if let samples = points[PostgresChunkTable.Position(chunk.first)] {
                    fold.add(samples)
                } else if !fold.add(chunk) {
                    fold.add(
                        try await PostgresChunkTable.points(session, runID: row.rowID, keyID: keyID, chunks: [chunk]))
                }
            }
            return fold.buckets
        }
    }

    public func sampledMetricHistories(
        runIDs: [RunID], key: String, startStep: Int64?, endStep: Int64?, maxResults: Int
    ) async throws -> [RunID: [MetricPoint]] {
        let sampling = try SampledHistoryCollector(
            key: key, startStep: startStep, endStep: endStep, maxResults: maxResults)
        return try await read { session in
            guard let keyID = try await Self.metricKeyID(session, key: key) else { return [:] }
            var result: [RunID: [MetricPoint]] = [:]
            for runID in Set(runIDs) {
                let row = try await Self.runRow(session, id: runID)
                var collector = sampling
                let start = collector.start
                try await PostgresChunkTable.forEachSample(session, runID: row.rowID, keyID: keyID, from: start) {
                    collector.visitStep($0)
                }
                guard collector.chooseSteps() else { continue }
                try await PostgresChunkTable.forEachSample(session, runID: row.rowID, keyID: keyID, from: start) {
                    collector.visitPoint($0)
                }
                result[runID] = collector.points
            }
            return result
        }
    }

}
