import LablogCore
import Testing

/// A database with a bit of everything a copy must carry, and a checksum of all a store holds.
enum CopyFixtures {
    /// The key of the long history and its length.
    static let longKey = "loss"
    static let longLength = 50_000

    /// Fills `store` with experiments (one deleted), runs in every status and lifecycle (nested ones too),
    /// params, tags, inputs, latest metrics and histories: one of 50,000 points with NaN and ±Infinity, logged
    /// partly out of order, and several shorter ones.
    /// - Returns: the id of the run holding the long history.
    @discardableResult
    static func populate(_ store: any TrackingStore) async throws -> RunID {
        let alpha = try await store.createExperiment(
            NewExperiment(
                name: "alpha", description: "the first", tags: [KeyValue(key: "team", value: "vision")],
                artifactLocation: "s3://bucket/alpha"))
        _ = try await store.updateExperiment(id: alpha.id, ExperimentUpdate(status: .completed))
        let beta = try await store.createExperiment(
            NewExperiment(name: "beta", tags: [KeyValue(key: "label", value: "")]))
        let gamma = try await store.createExperiment(NewExperiment(name: "gamma", status: .failed))
        try await store.setExperimentTag(experimentIDs: [gamma.id], KeyValue(key: "owner", value: "ada"))

        let parent = try await store.createRun(
            NewRun(
                experimentID: alpha.id, name: "parent", userID: "ada",
                params: [KeyValue(key: "lr", value: "0.01"), KeyValue(key: "layers", value: "4")],
                tags: [KeyValue(key: "mlflow.note.content", value: "grid search")],
                metrics: [MetricPoint(key: "acc", value: 0.5, step: 0, timestamp: 1_700_000_000_000)]))
        let statuses: [RunStatus] = [.running, .scheduled, .finished, .failed, .killed]
        var children: [Run] = []
        for (index, status) in statuses.enumerated() {
            let child = try await store.createRun(
                NewRun(
                    experimentID: alpha.id, name: "child-\(index)", parentRunID: parent.id, userID: "bob",
                    params: [KeyValue(key: "seed", value: "\(index)")],
                    tags: [KeyValue(key: "fold", value: "\(index)"), KeyValue(key: "empty", value: "")]))
            if status != .running {
                _ = try await store.updateRun(
                    id: child.id, RunUpdate(status: status, endTime: status.isTerminal ? 1_700_000_100_000 : nil))
            }
            children.append(child)
        }
        let dataset = Dataset(
            name: "mnist", digest: "abc123", sourceType: "http", source: "{\"url\": \"https://x/mnist\"}",
            schema: "{\"cols\": 784}", profile: "{\"rows\": 60000}")
        try await store.logInputs(
            runID: children[0].id,
            [
                DatasetInput(dataset: dataset, tags: [KeyValue(key: DatasetInput.contextTagKey, value: "training")]),
                DatasetInput(dataset: dataset, tags: [KeyValue(key: DatasetInput.contextTagKey, value: "eval")]),
                DatasetInput(dataset: Dataset(name: "plain", digest: "d1", sourceType: "local", source: "/tmp/x")),
            ])
        try await store.deleteRuns(ids: [children[4].id])

        let long = try await store.createRun(NewRun(experimentID: gamma.id, name: "long", userID: "ada"))
        try await logLongHistory(store, runID: long.id)
        for run in [parent.id, children[1].id] {
            let points = (0..<3_000).map { step -> MetricPoint in
                MetricPoint(key: "acc", value: Double(step) / 3_000, step: Int64(step), timestamp: 1_700_000_000_000)
            }
            for batch in stride(from: 0, to: points.count, by: 1_000) {
                try await store.logBatch(
                    runID: run, metrics: Array(points[batch..<batch + 1_000]), params: [], tags: [])
            }
            try await store.logBatch(
                runID: run,
                metrics: [
                    MetricPoint(key: "lr", value: .nan, step: 0, timestamp: 5),
                    MetricPoint(key: "lr", value: -.infinity, step: 1, timestamp: 6),
                ], params: [], tags: [KeyValue(key: "phase", value: "done")])
        }
        let doomed = try await store.createRun(NewRun(experimentID: beta.id, name: "in deleted"))
        try await store.logBatch(
            runID: doomed.id, metrics: [MetricPoint(key: "x", value: 1, step: 0, timestamp: 0)],
            params: [KeyValue(key: "p", value: "v")], tags: [])
        try await store.deleteExperiments(ids: [beta.id])
        _ = try await store.createRun(NewRun(experimentID: 0, name: "in default", status: .finished))
        return long.id
    }

    /// 50,000 points of one key, in batches of 1,000, with every 97th value NaN, every 1,009th +Infinity and
    /// every 2,003rd -Infinity; a late batch rewrites early steps with new timestamps, so stored chunks were
    /// merged and split.
    private static func logLongHistory(_ store: any TrackingStore, runID: RunID) async throws {
        func value(_ step: Int) -> Double {
            if step % 97 == 0 { return .nan }
            if step % 1_009 == 0 { return .infinity }
            if step % 2_003 == 0 { return -.infinity }
            return 1 / Double(step + 1)
        }
        let base: Int64 = 1_700_000_000_000
        for start in stride(from: 0, to: longLength - 1_000, by: 1_000) {
            let points = (start..<start + 1_000).map { step -> MetricPoint in
                MetricPoint(key: longKey, value: value(step), step: Int64(step), timestamp: base + Int64(step))
            }
            try await store.logBatch(runID: runID, metrics: points, params: [], tags: [])
        }
        // The last thousand are steps already logged, at later times: out-of-order points.
        let late = (0..<1_000).map { index -> MetricPoint in
            let step = index * 40
            return MetricPoint(key: longKey, value: value(step) * 2, step: Int64(step), timestamp: base + 9_000_000)
        }
        try await store.logBatch(runID: runID, metrics: late, params: [], tags: [])
    }

    /// A checksum of everything `store` holds, read through its export in its stable order: every experiment,
    /// dataset, run (with params, tags, latest metrics, inputs, parent) and every point of every history.
    static func checksum(_ store: any StoreTransfer) async throws -> UInt64 {
        var hash = Checksum()
        var lastExperiment: ExperimentID?
        while true {
            let page = try await store.exportExperiments(after: lastExperiment, limit: 7)
            guard let last = page.last else { break }
            for experiment in page { hash.add("\(experiment)") }
            lastExperiment = last.id
        }
        var lastDataset: TransferDataset?
        while true {
            let page = try await store.exportDatasets(after: lastDataset, limit: 7)
            guard let last = page.last else { break }
            for dataset in page { hash.add("\(dataset)") }
            lastDataset = last
        }
        var lastRun: String?
        while true {
            let page = try await store.exportRuns(after: lastRun, limit: 3)
            guard let last = page.last else { break }
            let series = try await store.exportSeries(runIDs: page.map(\.id))
            for run in page {
                hash.add("\(run)")
                for history in series[run.id] ?? [] {
                    hash.add("\(history)")
                    try await addPoints(of: history.key, runID: run.id, in: store, to: &hash)
                }
            }
            lastRun = last.id
        }
        return hash.value
    }

    private static func addPoints(
        of key: String, runID: String, in store: any StoreTransfer, to hash: inout Checksum
    ) async throws {
        var after: TransferPosition?
        while true {
            let chunks = try await store.exportChunks(runID: runID, key: key, after: after, limit: 10)
            guard let first = chunks.last?.first else { return }
            for sample in chunks.joined() {
                hash.add(sample.step, sample.timestamp, sample.value)
            }
            after = TransferPosition(step: first.step, timestamp: first.timestamp)
        }
    }
}

/// FNV-1a, 64 bits: enough to tell two databases' contents apart in a test.
struct Checksum {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 { mix(byte) }
        mix(0)
    }

    mutating func add(_ step: Int64, _ timestamp: Int64, _ value: Double) {
        // NaN is hashed as one value, whatever its payload.
        for word in [UInt64(bitPattern: step), UInt64(bitPattern: timestamp), value.isNaN ? 1 : value.bitPattern] {
            for shift in stride(from: 0, to: 64, by: 8) { mix(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
    }

    private mutating func mix(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
    }
}
