import Foundation
import NIOHTTP1

/// One very long metric: its full-resolution read, and chart views of 1,000 buckets over the whole range and zooms.
struct HistoryWorkload: Workload {
    static let name = "history"
    static let summary = "a 10,000,000-point metric: full read >= 5,000,000 points/s, 1,000-bucket views < 30 ms"

    private static let buckets = 1000
    private static let fullReads = 3
    private static let bucketReads = 10

    func run(in context: BenchContext, report: inout Report) async throws {
        let scale = context.scale
        let runID = try await context.createRuns(1, label: Self.name)[0]
        let template = MetricBatchTemplate(
            pointCount: scale.nativeBatchPoints, keyCount: 1, timestamp: Int64(Date().timeIntervalSince1970 * 1000))
        let batches = (scale.historyPoints + template.pointCount - 1) / template.pointCount
        let points = batches * template.pointCount
        let key = template.keys[0]
        let path = "/api/runs/\(runID)/metrics"
        let encoder = context.encoder
        context.log("\(Self.name): logging \(formatted(points)) points in \(formatted(batches)) batches")
        let load = try await context.driver.run(connections: 1) { _, batch in
            batch < batches ? encoder.post(path, json: template.body(batch: batch)) : nil
        }
        guard load.failures == 0 else { throw BenchError("loading the history failed: \(load.firstFailure ?? "")") }
        report.add(
            Self.name, "loading, one writer", "\(formatted(Double(points) / load.elapsed.seconds)) points/s",
            passed: nil, note: load.cpuNote)

        try await measureFullRead(runID: runID, key: key, points: points, in: context, report: &report)
        try await measureBuckets(runID: runID, key: key, points: points, in: context, report: &report)
    }

    private func measureFullRead(
        runID: String, key: String, points: Int, in context: BenchContext, report: inout Report
    ) async throws {
        let reader = HistoryReader(http: context.http)
        var durations: [Duration] = []
        var format = HistoryReader.Format.binary
        for read in 0..<Self.fullReads {
            context.log("\(Self.name): full read \(read + 1) of \(Self.fullReads)")
            let (counted, elapsed) = try await timed { try await reader.count(runID: runID, key: key) }
            guard counted.points == points else {
                throw BenchError("the history read back \(counted.points) points, \(points) were logged")
            }
            format = counted.format
            durations.append(elapsed)
            // The paged fallback is slow enough that one read tells all, and three would take minutes.
            if format == .pagedJSON { break }
        }
        let median = durations.sorted()[durations.count / 2]
        let rate = Double(points) / median.seconds
        let note =
            format == .binary
            ? "median of \(Self.fullReads) reads"
            : "binary history endpoint not available: one read, paged JSON (\(formatted(HistoryReader.jsonPageSize)) "
                + "a page)"
        report.add(
            Self.name, "full read of \(formatted(points)) points (\(format.rawValue))", "\(formatted(rate)) points/s",
            target: ">= 5,000,000 points/s", passed: rate >= 5_000_000, note: note)
    }

    private func measureBuckets(
        runID: String, key: String, points: Int, in context: BenchContext, report: inout Report
    ) async throws {
        let last = points - 1
        let ranges: [(name: String, from: Int, to: Int)] = [
            ("full range", 0, last),
            ("zoom 10% (middle)", points / 2, points / 2 + points / 10),
            ("zoom 1%", points / 4, points / 4 + points / 100),
            ("zoom 0.1% (end)", last - points / 1000, last),
            ("zoom 0.01%", points / 3, points / 3 + points / 10_000),
        ]
        let base = "/api/runs/\(runID)/metrics/\(percentEncoded(key))/buckets?buckets=\(Self.buckets)&axis=step"
        let probe = try await context.http.send(.GET, base + "&from=0&to=\(last)")
        guard probe.status == 200 else {
            report.add(
                Self.name, "1,000 buckets, full range and zooms", "answered \(probe.status)", target: "< 30 ms",
                passed: false, note: "bucket endpoint not available")
            return
        }
        struct Buckets: Decodable {
            struct Bucket: Decodable { var count: Int }
            var buckets: [Bucket]
        }
        for range in ranges {
            let url = base + "&from=\(range.from)&to=\(range.to)"
            var latencies = Latencies()
            var answer = Buckets(buckets: [])
            for _ in 0..<Self.bucketReads {
                let (response, elapsed) = try await timed { try await context.http.send(.GET, url) }
                try response.expectSuccess("GET \(url)")
                latencies.record(elapsed)
                answer = try response.decode(Buckets.self)
            }
            let median = latencies.percentile(0.5)
            let covered = answer.buckets.reduce(0) { $0 + $1.count }
            report.add(
                Self.name, "1,000 buckets, \(range.name), p50", milliseconds(median), target: "< 30 ms",
                passed: median < 30 && (1...Self.buckets).contains(answer.buckets.count),
                note:
                    "\(answer.buckets.count) buckets, \(formatted(covered)) of \(formatted(range.to - range.from + 1)) "
                    + "points (steps \(range.from)...\(range.to))")
        }
    }
}
