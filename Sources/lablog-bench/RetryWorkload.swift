import Foundation
import NIOHTTP1

/// A batch sent twice, as a client does after a timeout, onto a run that already has a long history: the second
/// send must store nothing new and cost no more than the first.
struct RetryWorkload: Workload {
    static let name = "retry"
    static let summary = "the same batch sent twice on a long history: stored once, retry no slower than first send"

    /// Points of each retried batch.
    private static let batchPoints = 1000
    /// How much slower than the first send a retry may be before it counts as costing more: timing noise.
    private static let tolerance = 1.10

    func run(in context: BenchContext, report: inout Report) async throws {
        let scale = context.scale
        let runID = try await context.createRuns(1, label: Self.name)[0]
        let path = "/api/runs/\(runID)/metrics"
        let timestamp = Int64(Date().timeIntervalSince1970 * 1000)
        let encoder = context.encoder

        let history = MetricBatchTemplate(pointCount: scale.nativeBatchPoints, keyCount: 1, timestamp: timestamp)
        let historyBatches = (scale.retryHistoryPoints + history.pointCount - 1) / history.pointCount
        context.log("\(Self.name): logging a \(formatted(historyBatches * history.pointCount))-point history")
        let loaded = try await context.driver.run(connections: 1) { _, batch in
            batch < historyBatches ? encoder.post(path, json: history.body(batch: batch)) : nil
        }
        guard loaded.failures == 0 else { throw BenchError("loading the history failed: \(loaded.firstFailure ?? "")") }

        // Each batch lands after the history (steps are batch * batchPoints + i), then is sent a second time.
        let retried = MetricBatchTemplate(pointCount: Self.batchPoints, keyCount: 1, timestamp: timestamp)
        let firstBatch = historyBatches * history.pointCount / Self.batchPoints
        let sends = scale.retriedBatches * 2
        context.log("\(Self.name): \(scale.retriedBatches) batches of \(Self.batchPoints) points, each sent twice")
        let load = try await context.driver.run(connections: 1) { _, send in
            send < sends ? encoder.post(path, json: retried.body(batch: firstBatch + send / 2)) : nil
        }
        report.addFailures(Self.name, load)
        var first = Latencies()
        var again = Latencies()
        for (index, latency) in load.latencies.samples.enumerated() {
            if index.isMultiple(of: 2) { first.record(latency) } else { again.record(latency) }
        }
        let firstMedian = first.percentile(0.5)
        let againMedian = again.percentile(0.5)
        report.add(Self.name, "first send p50", milliseconds(firstMedian), passed: nil)
        report.add(
            Self.name, "retry p50", milliseconds(againMedian), target: "<= first send (+10%)",
            passed: againMedian <= firstMedian * Self.tolerance)

        let expected = historyBatches * history.pointCount + scale.retriedBatches * Self.batchPoints
        let stored = try await HistoryReader(http: context.http).count(runID: runID, key: history.keys[0])
        report.add(
            Self.name, "points stored (each retried batch once)", "\(formatted(stored.points))",
            target: "== \(formatted(expected))", passed: stored.points == expected)
    }
}
