import Foundation
import LablogCore
import LablogSQLite
import LablogServer
import NIOCore

/// Micro-benchmarks of Lablog's hot paths, without HTTP: request decoding, filter parsing and the store's append
/// path. Run a release build: `swift run -c release lablog-microbench [seconds-per-measurement]`.
@main
enum LablogMicrobench {
    static func main() async throws {
        let seconds = CommandLine.arguments.dropFirst().first.flatMap(Double.init) ?? 1
        var harness = Harness(minimumDuration: .milliseconds(Int(seconds * 1000)))
        try decoding(&harness)
        try filters(&harness)
        try await store(&harness)
        print(harness.table())
    }

    /// JSONDecoder against the endpoints' byte parsers, on 1,000-point bodies and a one-point log-metric body.
    static func decoding(_ harness: inout Harness) throws {
        let native = ByteBuffer(string: Bodies.nativeBatch(points: 1000))
        let mlflow = ByteBuffer(string: Bodies.mlflowLogBatch(metrics: 1000))
        guard IngestDecoders.nativeBatch(native) == 1000, try IngestDecoders.mlflowLogBatch(mlflow) == 1000 else {
            throw MicrobenchError("a byte parser refused its benchmark body")
        }
        try harness.measure("native batch, 1,000 points: JSONDecoder", items: 1000, unit: "points/s") {
            _ = try IngestDecoders.nativeBatchWithJSONDecoder(native)
        }
        harness.measure("native batch, 1,000 points: byte parser", items: 1000, unit: "points/s") {
            _ = IngestDecoders.nativeBatch(native)
        }
        try harness.measure("MLflow log-batch, 1,000 metrics: JSONDecoder", items: 1000, unit: "points/s") {
            _ = try IngestDecoders.mlflowLogBatchWithJSONDecoder(mlflow)
        }
        try harness.measure("MLflow log-batch, 1,000 metrics: byte parser", items: 1000, unit: "points/s") {
            _ = try IngestDecoders.mlflowLogBatch(mlflow)
        }
        let single = ByteBuffer(string: Bodies.mlflowLogMetric)
        guard IngestDecoders.mlflowLogMetric(single) else {
            throw MicrobenchError("the byte parser refused the log-metric body")
        }
        try harness.measure("MLflow log-metric body: JSONDecoder", items: 1, unit: "requests/s") {
            try IngestDecoders.mlflowLogMetricWithJSONDecoder(single)
        }
        harness.measure("MLflow log-metric body: byte parser", items: 1, unit: "requests/s") {
            _ = IngestDecoders.mlflowLogMetric(single)
        }
    }

    /// Parsing a three-condition filter with an OR. (Compiling it to SQL is internal to the SQLite store.)
    static func filters(_ harness: inout Harness) throws {
        let text = "metrics.accuracy > 0.9 and (params.optimizer = 'adam' or tags.team LIKE 'vis%')"
        try harness.measure("filter parse, 3 conditions with OR", items: 1, unit: "filters/s") {
            _ = try FilterParser.parse(text)
        }
    }

    /// `SQLiteStore.logBatch` on a file database: 8 concurrent writers on 8 runs, then one-point batches.
    static func store(_ harness: inout Harness) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lablog-microbench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("bench.db").path)
        try await store.migrate()
        let experiment = try await store.createExperiment(NewExperiment(name: "microbench"))
        var runs: [RunID] = []
        for _ in 0..<8 {
            runs.append(try await store.createRun(NewRun(experimentID: experiment.id)).id)
        }
        var nextStep = 0
        try await harness.measure("store: 8 writers x 1,000-point batches", items: 8000, unit: "points/s") {
            let first = nextStep
            nextStep += 1000
            try await withThrowingTaskGroup(of: Void.self) { group in
                for run in runs {
                    group.addTask {
                        let points = (0..<1000).map { offset in
                            MetricPoint(
                                key: "loss", value: 1 / Double(first + offset + 1), step: Int64(first + offset),
                                timestamp: Bodies.time(first + offset))
                        }
                        try await store.logBatch(runID: run, metrics: points, params: [], tags: [])
                    }
                }
                try await group.waitForAll()
            }
        }
        try await harness.measure("store: one-point batches, one writer", items: 1, unit: "batches/s") {
            let step = nextStep
            nextStep += 1
            let point = MetricPoint(key: "single", value: 0.5, step: Int64(step), timestamp: Bodies.time(step))
            try await store.logBatch(runID: runs[0], metrics: [point], params: [], tags: [])
        }
        try await harness.measure("store: one-point batches, 8 writers", items: 8, unit: "batches/s") {
            let step = nextStep
            nextStep += 1
            try await withThrowingTaskGroup(of: Void.self) { group in
                for run in runs {
                    group.addTask {
                        let point = MetricPoint(key: "single", value: 0.5, step: Int64(step), timestamp: 0)
                        try await store.logBatch(runID: run, metrics: [point], params: [], tags: [])
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}

/// A benchmark that could not run.
struct MicrobenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
