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
