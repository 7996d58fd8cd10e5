import LablogCore
import Testing

private func cmp(_ field: FilterField, _ op: ComparisonOperator, _ value: FilterValue = .none) -> FilterExpression {
    .comparison(Comparison(field: field, op: op, value: value))
}

@Suite("Dataset inputs, experiment filters and sampled histories")
struct InputsAndSamplingContractTests {
    private let training = DatasetInput(
        dataset: Dataset(name: "mnist", digest: "abc123", sourceType: "local", source: "{\"uri\": \"/data\"}"),
        tags: [KeyValue(key: DatasetInput.contextTagKey, value: "training")])

    @Test("inputs are stored once and read back with the run", arguments: Backend.allCases)
    func inputs(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0)
        try await store.logInputs(runID: run.id, [training])
        try await store.logInputs(runID: run.id, [training])
        let other = try await store.makeRun(in: 0)
        var changed = training
        changed.dataset.source = "ignored: the first registration wins"
        try await store.logInputs(runID: other.id, [changed])
        #expect(try await store.run(id: run.id).inputs == [training])
        #expect(try await store.run(id: other.id).inputs.first?.dataset.source == training.dataset.source)
        await #expect(throws: LablogError.self) {
            var long = training
            long.dataset.digest = String(repeating: "d", count: 37)
            try await store.logInputs(runID: run.id, [long])
        }
    }

    @Test("datasets.* filters match runs by dataset name, digest and context", arguments: Backend.allCases)
    func datasetFilters(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let experiment = try await store.makeExperiment()
        let reader = try await store.makeRun(in: experiment.id, name: "reader")
        _ = try await store.makeRun(in: experiment.id, name: "other")
        try await store.logInputs(runID: reader.id, [training])
        func names(_ filter: FilterExpression) async throws -> [String] {
            try await store.searchRuns(RunQuery(experimentIDs: [experiment.id], filter: filter)).items.map(\.name)
        }
        #expect(try await names(cmp(.dataset("name"), .equal, .string("mnist"))) == ["reader"])
        #expect(try await names(cmp(.dataset("digest"), .in, .list(["x", "abc123"]))) == ["reader"])
        #expect(try await names(cmp(.dataset("context"), .like, .string("train%"))) == ["reader"])
        #expect(try await names(cmp(.dataset("name"), .notEqual, .string("mnist"))).isEmpty)
    }

    @Test("experiment filters and order-by use tags and attributes", arguments: Backend.allCases)
    func experimentFilters(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let vision = try await store.createExperiment(
            NewExperiment(name: "vision-a", tags: [KeyValue(key: "team", value: "cv")], artifactLocation: "/tmp/a"))
        _ = try await store.createExperiment(NewExperiment(name: "vision-b"))
        _ = try await store.createExperiment(NewExperiment(name: "nlp"))
        #expect(vision.artifactLocation == "/tmp/a")
        func names(_ filter: FilterExpression?, _ order: [OrderKey] = []) async throws -> [String] {
            try await store.listExperiments(ExperimentQuery(filter: filter, orderBy: order)).items.map(\.name)
        }
        let ascending = [OrderKey(field: .experimentAttribute(.name), ascending: true)]
        #expect(
            try await names(cmp(.experimentAttribute(.name), .like, .string("vision%")), ascending)
                == ["vision-a", "vision-b"])
        #expect(try await names(cmp(.tag("team"), .equal, .string("cv"))) == ["vision-a"])
        #expect(try await names(cmp(.tag("team"), .isNull), ascending) == ["Default", "nlp", "vision-b"])
        #expect(
            try await names(
                cmp(.experimentAttribute(.experimentID), .in, .list(["0", String(vision.id)])),
                ascending) == ["Default", "vision-a"])
        // The Default experiment is created by the migration with the real clock, so it is left out here.
        let newestFirst = try await names(cmp(.experimentAttribute(.creationTime), .greater, .number(0)))
        #expect(newestFirst.filter { $0 != "Default" } == ["nlp", "vision-b", "vision-a"], "newest first by default")
    }

    @Test("sampled histories keep the first and last step and at most max_results steps", arguments: Backend.allCases)
    func sampled(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let a = try await store.makeRun(in: 0)
        let b = try await store.makeRun(in: 0)
        let c = try await store.makeRun(in: 0)
        let points = (0..<1000).map { MetricPoint(key: "loss", value: Double($0), step: Int64($0), timestamp: 1) }
        try await store.logBatch(runID: a.id, metrics: points, params: [], tags: [])
        try await store.logBatch(runID: b.id, metrics: Array(points.prefix(5)), params: [], tags: [])
        let sampled = try await store.sampledMetricHistories(
            runIDs: [a.id, b.id, c.id], key: "loss", startStep: nil, endStep: nil, maxResults: 10)
        let steps = try #require(sampled[a.id]).map(\.step)
        #expect(steps.count == 10)
        #expect(steps.first == 0)
        #expect(steps.last == 999)
        #expect(sampled[b.id]?.count == 5)
        #expect(sampled[c.id] == nil)
        let window = try await store.sampledMetricHistories(
            runIDs: [a.id], key: "loss", startStep: 100, endStep: 200, maxResults: 1000)
        #expect(window[a.id]?.map(\.step) == Array(100...200))
    }
}
