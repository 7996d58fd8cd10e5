import Foundation
import NIOHTTP1

/// Many runs at once, each logging small batches over its own connection: the shape of a sweep's training jobs.
struct SmallBatchesWorkload: Workload {
    static let name = "small-batches"
    static let summary = "1,000 concurrent runs each logging 10-point batches: no errors, p99 < 50 ms; counted back"

    func run(in context: BenchContext, report: inout Report) async throws {
        let scale = context.scale
        context.log("\(Self.name): creating \(formatted(scale.smallBatchRuns)) runs")
        let runIDs = try await context.createRuns(scale.smallBatchRuns, label: Self.name)
        let template = MetricBatchTemplate(
            pointCount: scale.smallBatchPoints, keyCount: 1, timestamp: Int64(Date().timeIntervalSince1970 * 1000))
        let paths = runIDs.map { "/api/runs/\($0)/metrics" }
        let batches = scale.smallBatches
        context.log(
            "\(Self.name): \(formatted(runIDs.count)) connections x \(batches) batches of \(scale.smallBatchPoints) "
                + "points")
        let encoder = context.encoder
        let load = try await context.driver.run(connections: runIDs.count) { run, batch in
            batch < batches ? encoder.post(paths[run], json: template.body(batch: batch)) : nil
        }
        let p99 = load.latencies.percentile(0.99)
        report.add(
            Self.name, "\(formatted(runIDs.count)) runs x \(batches) batches, p99", milliseconds(p99),
            target: "< 50 ms", passed: p99 < 50,
            note: "closed loop: every run always has a batch in flight; " + load.cpuNote)
        report.add(
            Self.name, "latency p50 / throughput",
            "\(milliseconds(load.latencies.percentile(0.5))) / "
                + "\(formatted(load.requestsPerSecond)) requests/s", passed: nil)
        report.addFailures(Self.name, load)

        let acknowledged = (load.responses - load.failures) * scale.smallBatchPoints
        context.log("\(Self.name): counting \(formatted(acknowledged)) points back")
        let stored = try await HistoryReader(http: context.http).total(runIDs: runIDs, keys: template.keys, clients: 8)
        report.add(
            Self.name, "points stored == acknowledged", "\(formatted(stored.points)) == \(formatted(acknowledged))",
            target: "equal", passed: stored.points == acknowledged)
    }
}
