import LablogCore
import Testing

/// Writes that arrive together may share a transaction; each must still succeed or fail on its own.
@Suite("Concurrent write store contract")
struct ConcurrentWriteContractTests {
    @Test(
        "a failing write among concurrent ones leaves nothing behind and does not undo the others",
        arguments: Backend.allCases)
    func failuresStayAlone(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0, params: ["lr": "0.1"]).id
        let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<200 {
                group.addTask {
                    // Every third batch changes a param, which params forbid: the whole batch must be refused,
                    // including the new param "a<index>" written just before the conflict is found.
                    let params =
                        index % 3 == 0
                        ? [KeyValue(key: "a\(index)", value: "1"), KeyValue(key: "lr", value: "0.\(index + 2)")] : []
                    let point = MetricPoint(
                        key: "m\(index % 5)", value: Double(index), step: Int64(index), timestamp: 1)
                    do {
                        try await store.logBatch(runID: run, metrics: [point], params: params, tags: [])
                        return (index, true)
                    } catch LablogError.paramConflict {
                        return (index, false)
                    }
                }
            }
            var outcomes: [Int: Bool] = [:]
            for try await (index, stored) in group { outcomes[index] = stored }
            return outcomes
        }
        #expect(outcomes.filter(\.value).count == 133)
        var stored: Set<Int64> = []
        for key in 0..<5 {
            let page = try await store.metricHistory(runID: run, key: "m\(key)", HistoryQuery(limit: 1_000))
            stored.formUnion(page.items.map(\.step))
        }
        #expect(stored == Set(outcomes.filter(\.value).keys.map(Int64.init)))
        #expect(try await store.run(id: run).params == [KeyValue(key: "lr", value: "0.1")])
    }
}
