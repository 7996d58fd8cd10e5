import Foundation
import NIOCore
import NIOHTTP1

/// Ingest from concurrent writers, each posting metric batches to its own run as fast as the server takes them,
/// then every acknowledged point counted back.
struct IngestMeasurement: Sendable {
    /// The endpoint the batches go to.
    enum Endpoint: Sendable {
        /// `POST /api/runs/{id}/metrics`.
        case native
        /// `POST /api/2.0/mlflow/runs/log-batch`.
        case mlflow

        func path(runID: String) -> String {
            switch self {
            case .native: "/api/runs/\(runID)/metrics"
            case .mlflow: "/api/2.0/mlflow/runs/log-batch"
            }
        }

        /// The body's members besides `metrics`: MLflow names the run in the body, the native API in the path.
        func members(runID: String) -> String {
            switch self {
            case .native: ""
            case .mlflow: #""run_id":"\#(runID)""#
            }
        }
    }

    let workload: String
    let endpoint: Endpoint
    let batchPoints: Int
    let targetPointsPerSecond: Double
    /// Distinct metric keys of a batch.
    var keys = 10

    func run(in context: BenchContext, report: inout Report) async throws {
        let scale = context.scale
        let runIDs = try await context.createRuns(scale.writers, label: workload)
        let timestamp = Int64(Date().timeIntervalSince1970 * 1000)
        let requests = runIDs.map { runID in
            (
                path: endpoint.path(runID: runID),
                template: MetricBatchTemplate(
                    pointCount: batchPoints, keyCount: keys, timestamp: timestamp,
                    members: endpoint.members(runID: runID))
            )
        }
        context.log(
            "\(workload): \(scale.writers) writers x \(formatted(batchPoints))-point batches for \(scale.duration)")
        let encoder = context.encoder
        let load = try await context.driver.run(connections: runIDs.count, duration: scale.duration) { writer, batch in
            encoder.post(requests[writer].path, json: requests[writer].template.body(batch: batch))
        }
        let acknowledged = (load.responses - load.failures) * batchPoints
        let pointsPerSecond = Double(acknowledged) / load.elapsed.seconds
        report.add(
            workload, "\(scale.writers) writers x \(formatted(batchPoints)) points",
            "\(formatted(pointsPerSecond)) points/s",
            target: ">= \(formatted(targetPointsPerSecond)) points/s", passed: pointsPerSecond >= targetPointsPerSecond,
            note: load.cpuNote)
        report.addLatencies(workload, load)
        report.addFailures(workload, load)

        context.log("\(workload): counting \(formatted(acknowledged)) acknowledged points back")
        let stored = try await HistoryReader(http: context.http).total(runIDs: runIDs, keys: requests[0].template.keys)
        report.add(
            workload, "points stored == acknowledged", "\(formatted(stored.points)) == \(formatted(acknowledged))",
            target: "equal", passed: stored.points == acknowledged, note: "read back as \(stored.format.rawValue)")
    }
}

/// Ingest through the native batch endpoint.
struct NativeIngestWorkload: Workload {
    static let name = "ingest"
    static let summary = "8 writers on 8 runs, native batch endpoint, 10,000-point batches; counted back"

    func run(in context: BenchContext, report: inout Report) async throws {
        try await IngestMeasurement(
            workload: Self.name, endpoint: .native, batchPoints: context.scale.nativeBatchPoints,
            targetPointsPerSecond: 1_000_000
        ).run(in: context, report: &report)
    }
}

/// Ingest through MLflow's `runs/log-batch`.
struct MLflowIngestWorkload: Workload {
    static let name = "mlflow-ingest"
    static let summary = "8 writers on 8 runs, MLflow runs/log-batch, 1,000 metrics a request; counted back"

    func run(in context: BenchContext, report: inout Report) async throws {
        try await IngestMeasurement(
            workload: Self.name, endpoint: .mlflow, batchPoints: context.scale.mlflowBatchPoints,
            targetPointsPerSecond: 500_000
        ).run(in: context, report: &report)
    }
}
