import Foundation
import NIOCore
import NIOHTTP1

/// MLflow's `runs/log-metric`, one point a request, from many connections: what a naive client costs the server.
struct LogMetricWorkload: Workload {
    static let name = "log-metric"
    static let summary = "MLflow runs/log-metric, one point a request: >= 20,000 requests/s, p99 < 5 ms"

    /// Requests encoded per connection are enough for this rate over the whole duration.
    private static let encodedRate = 50_000.0

    func run(in context: BenchContext, report: inout Report) async throws {
        let scale = context.scale
        let connections = scale.logMetricConnections
        let runIDs = try await context.createRuns(scale.writers, label: Self.name)
        let perConnection = Int(Self.encodedRate * scale.duration.seconds) / connections + 1
        context.log("\(Self.name): encoding \(formatted(perConnection * connections)) requests")
        let timestamp = Int64(Date().timeIntervalSince1970 * 1000)
        let requests: [[ByteBuffer]] = (0..<connections).map { connection in
            let runID = runIDs[connection % runIDs.count]
            // Connections sharing a run interleave their steps, so that no two requests log the same point.
            let sharing = (connections + runIDs.count - 1) / runIDs.count
            let lane = connection / runIDs.count
            return (0..<perConnection).map { index in
                let step = index * sharing + lane
                return context.encoder.post(
                    "/api/2.0/mlflow/runs/log-metric",
                    json: #"{"run_id":"\#(runID)","key":"loss","value":\#(Double(step) * 0.001),"#
                        + #""timestamp":\#(timestamp + Int64(step)),"step":\#(step)}"#)
            }
        }
        context.log("\(Self.name): \(connections) connections for \(scale.duration)")
        let load = try await context.driver.run(connections: connections, duration: scale.duration) {
            connection, index in
            index < requests[connection].count ? requests[connection][index] : nil
        }
        report.add(
            Self.name, "\(connections) connections, one point a request",
            "\(formatted(load.requestsPerSecond)) requests/s",
            target: ">= 20,000 requests/s", passed: load.requestsPerSecond >= 20_000, note: load.cpuNote)
        let p99 = load.latencies.percentile(0.99)
        report.add(
            Self.name, "latency p99", milliseconds(p99), target: "< 5 ms", passed: p99 < 5,
            note: "p50 \(milliseconds(load.latencies.percentile(0.5)))")
        report.addFailures(Self.name, load)

        let acknowledged = load.responses - load.failures
        let stored = try await HistoryReader(http: context.http).total(runIDs: runIDs, keys: ["loss"])
        report.add(
            Self.name, "points stored == acknowledged", "\(formatted(stored.points)) == \(formatted(acknowledged))",
            target: "equal", passed: stored.points == acknowledged)
    }
}
