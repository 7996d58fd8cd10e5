import LablogCore
import Testing

@Suite("Metric store contract")
struct MetricContractTests {
    @Test("history round-trips NaN and infinities, ordered by step", arguments: Backend.allCases)
    func history(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0)
        let points = [
            MetricPoint(key: "loss", value: .infinity, step: 2, timestamp: 30),
            MetricPoint(key: "loss", value: 0.5, step: 0, timestamp: 10),
            MetricPoint(key: "loss", value: .nan, step: 1, timestamp: 20),
            MetricPoint(key: "loss", value: -.infinity, step: 3, timestamp: 40),
        ]
        try await store.logBatch(runID: run.id, metrics: points, params: [], tags: [])
        let page = try await store.metricHistory(runID: run.id, key: "loss", HistoryQuery())
        #expect(page.items == points.sorted { $0.step < $1.step })
        #expect(page.nextCursor == nil)
    }

    @Test("a retried batch is stored once", arguments: Backend.allCases)
    func idempotentRetry(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0)
        let batch = (0..<100).map { MetricPoint(key: "m", value: Double($0), step: Int64($0), timestamp: 5) }
        try await store.logBatch(runID: run.id, metrics: batch, params: [], tags: [])
        try await store.logBatch(runID: run.id, metrics: batch, params: [], tags: [])
        let page = try await store.metricHistory(runID: run.id, key: "m", HistoryQuery(limit: 1000))
        #expect(page.items.count == 100)
    }

    @Test(
        "latest value is the highest step, then the latest timestamp, not the last written", arguments: Backend.allCases
    )
    func latest(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0)
        try await store.logBatch(
            runID: run.id, metrics: [MetricPoint(key: "acc", value: 0.9, step: 10, timestamp: 100)], params: [],
            tags: [])
        try await store.logBatch(
            runID: run.id, metrics: [MetricPoint(key: "acc", value: 0.1, step: 5, timestamp: 200)], params: [],
            tags: [])
        #expect(try await store.run(id: run.id).latestMetrics.first?.value == 0.9)
        try await store.logBatch(
            runID: run.id, metrics: [MetricPoint(key: "acc", value: 0.7, step: 10, timestamp: 150)], params: [],
            tags: [])
        #expect(try await store.run(id: run.id).latestMetrics.first?.value == 0.7)
    }

    @Test("history pages by step range and cursor", arguments: Backend.allCases)
    func paging(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0)
        let batch = (0..<250).map { MetricPoint(key: "m", value: Double($0), step: Int64($0), timestamp: 1) }
        try await store.logBatch(runID: run.id, metrics: batch, params: [], tags: [])
        var steps: [Int64] = []
        var cursor: String?
        repeat {
            let page = try await store.metricHistory(
                runID: run.id, key: "m", HistoryQuery(fromStep: 10, toStep: 209, limit: 64, cursor: cursor))
            steps += page.items.map(\.step)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(steps == Array(10...209))
        await #expect(throws: LablogError.notFound(.metric, "nope")) {
            _ = try await store.metricHistory(runID: run.id, key: "nope", HistoryQuery())
        }
    }

    @Test("keys are validated", arguments: Backend.allCases)
    func validation(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0)
        for key in ["", "../x", "a//b", String(repeating: "k", count: 251), "bad*key"] {
            await #expect(throws: LablogError.self) {
                try await store.logBatch(
                    runID: run.id, metrics: [MetricPoint(key: key, value: 1, step: 0, timestamp: 0)], params: [],
                    tags: [])
            }
        }
    }
}

@Suite("Metric points as MLflow keys them")
struct MetricIdentityContractTests {
    @Test("points that differ only in value are both kept; exact repeats once", arguments: Backend.allCases)
    func wholeTuple(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0)
        let points = [
            MetricPoint(key: "m", value: 1, step: 3, timestamp: 7),
            MetricPoint(key: "m", value: 2, step: 3, timestamp: 7),
            MetricPoint(key: "m", value: .nan, step: 3, timestamp: 7),
            MetricPoint(key: "m", value: 1, step: 3, timestamp: 7),
        ]
        try await store.logBatch(runID: run.id, metrics: points, params: [], tags: [])
        try await store.logBatch(runID: run.id, metrics: points, params: [], tags: [])
        var seen: [MetricPoint] = []
        var cursor: String?
        repeat {
            let page = try await store.metricHistory(runID: run.id, key: "m", HistoryQuery(limit: 1, cursor: cursor))
            seen += page.items
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen.count == 3, "paging by a cursor visits points that share a step and time")
        #expect(Set(seen) == Set(points))
        #expect(try await store.run(id: run.id).latestMetrics.first?.value.isNaN == true, "NaN is the largest")
    }

    @Test("strict delete and restore refuse a no-op change", arguments: Backend.allCases)
    func strictLifecycle(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let experiment = try await store.makeExperiment()
        await #expect(throws: LablogError.notFound(.experiment, String(experiment.id))) {
            try await store.restoreExperiments(ids: [experiment.id], mustBeDeleted: true)
        }
        try await store.deleteExperiments(ids: [experiment.id], mustBeActive: true)
        await #expect(throws: LablogError.notFound(.experiment, String(experiment.id))) {
            try await store.deleteExperiments(ids: [experiment.id], mustBeActive: true)
        }
        try await store.deleteExperiments(ids: [experiment.id])
        try await store.restoreExperiments(ids: [experiment.id], mustBeDeleted: true)
    }

    @Test("runs live under their experiment's artifact location", arguments: Backend.allCases)
    func artifactURI(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let custom = try await store.createExperiment(NewExperiment(name: "c", artifactLocation: "s3://bucket/x/"))
        let run = try await store.makeRun(in: custom.id)
        #expect(run.artifactURI == "s3://bucket/x/\(run.id)/artifacts")
        let plain = try await store.makeRun(in: 0)
        #expect(plain.artifactURI == "mlflow-artifacts:/0/\(plain.id)/artifacts")
    }

    @Test("large pages load in chunks", arguments: [Backend.sqliteMemory])
    func largePage(backend: Backend) async throws {
        let store = try await backend.makeStore(maxRunsPerExperiment: 0)
        for _ in 0..<5_100 { _ = try await store.createRun(NewRun(experimentID: 0)) }
        let page = try await store.searchRuns(RunQuery(experimentIDs: [0], limit: 6000))
        #expect(page.items.count == 5_100)
        #expect(Set(page.items.map(\.id)).count == 5_100)
    }
}

@Suite("Chart buckets")
struct MetricBucketContractTests {
    @Test("buckets keep every spike and cover the range", arguments: Backend.allCases)
    func spikes(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0)
        var points = (0..<10_000).map {
            MetricPoint(key: "loss", value: 1, step: Int64($0), timestamp: 1000 + Int64($0))
        }
        points[4321].value = 500
        points[77].value = -3
        points[5000].value = .nan
        try await store.logBatch(runID: run.id, metrics: points, params: [], tags: [])
        let buckets = try await store.metricBuckets(
            runID: run.id, key: "loss", axis: .step, from: nil, to: nil, buckets: 100)
        #expect(buckets.count == 100)
        #expect(buckets.map(\.count).reduce(0, +) == 10_000)
        #expect(buckets.compactMap(\.maxValue).max() == 500)
        #expect(buckets.compactMap(\.minValue).min() == -3)
        #expect(buckets.first?.xMin == 0)
        #expect(buckets.last?.xMax == 9_999)
        let zoomed = try await store.metricBuckets(
            runID: run.id, key: "loss", axis: .time, from: 1000 + 4300, to: 1000 + 4399, buckets: 10)
        #expect(zoomed.map(\.count).reduce(0, +) == 100)
        #expect(zoomed.compactMap(\.maxValue).max() == 500)
        await #expect(throws: LablogError.notFound(.metric, "nope")) {
            _ = try await store.metricBuckets(runID: run.id, key: "nope", axis: .step, from: nil, to: nil, buckets: 10)
        }
    }
}
