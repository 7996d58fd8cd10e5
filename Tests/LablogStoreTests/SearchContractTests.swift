import LablogCore
import Testing

/// A small fixed data set: four runs with overlapping params, metrics and tags.
private struct SearchFixture {
    let store: any TrackingStore
    let experiment: Experiment
    let runs: [String: Run]

    init(backend: Backend) async throws {
        store = try await backend.makeStore()
        experiment = try await store.makeExperiment("search")
        var runs: [String: Run] = [:]
        runs["a"] = try await store.makeRun(
            in: experiment.id, name: "a", params: ["lr": "0.01", "opt": "Adam"], metrics: ["acc": 0.9, "loss": 0.1],
            tags: ["team": "vision"])
        runs["b"] = try await store.makeRun(
            in: experiment.id, name: "b", params: ["lr": "0.1", "opt": "sgd"], metrics: ["acc": 0.5, "loss": .nan],
            tags: ["team": "Vision-2"])
        runs["c"] = try await store.makeRun(in: experiment.id, name: "c", params: ["lr": "0.01"], metrics: ["acc": 0.7])
        runs["d"] = try await store.makeRun(in: experiment.id, name: "d", metrics: ["loss": 3])
        self.runs = runs
    }

    func names(_ filter: FilterExpression?, orderBy: [OrderKey] = []) async throws -> [String] {
        try await store.searchRuns(
            RunQuery(experimentIDs: [experiment.id], filter: filter, orderBy: orderBy, limit: 100)
        ).items.map(\.name)
    }
}

private func cmp(_ field: FilterField, _ op: ComparisonOperator, _ value: FilterValue = .none) -> FilterExpression {
    .comparison(Comparison(field: field, op: op, value: value))
}

@Suite("Search store contract")
struct SearchContractTests {
    @Test("metric comparisons use the latest value; NaN only matches !=", arguments: Backend.allCases)
    func metrics(backend: Backend) async throws {
        let fixture = try await SearchFixture(backend: backend)
        #expect(try await fixture.names(cmp(.metric("acc"), .greater, .number(0.6))).sorted() == ["a", "c"])
        #expect(try await fixture.names(cmp(.metric("acc"), .lessOrEqual, .number(0.5))) == ["b"])
        #expect(try await fixture.names(cmp(.metric("loss"), .notEqual, .number(0.1))).sorted() == ["b", "d"])
        #expect(try await fixture.names(cmp(.metric("loss"), .greater, .number(-1))).sorted() == ["a", "d"])
        #expect(try await fixture.names(cmp(.metric("loss"), .isNull)) == ["c"])
    }

    @Test("a run lacking the key never matches, even with !=", arguments: Backend.allCases)
    func missingKeys(backend: Backend) async throws {
        let fixture = try await SearchFixture(backend: backend)
        #expect(try await fixture.names(cmp(.param("lr"), .notEqual, .string("0.1"))).sorted() == ["a", "c"])
        #expect(try await fixture.names(cmp(.param("opt"), .isNull)).sorted() == ["c", "d"])
        #expect(try await fixture.names(cmp(.param("opt"), .isNotNull)).sorted() == ["a", "b"])
    }

    @Test("LIKE is case-sensitive, ILIKE is not, IN lists match", arguments: Backend.allCases)
    func strings(backend: Backend) async throws {
        let fixture = try await SearchFixture(backend: backend)
        #expect(try await fixture.names(cmp(.tag("team"), .like, .string("vis%"))) == ["a"])
        #expect(try await fixture.names(cmp(.tag("team"), .ilike, .string("vis%"))).sorted() == ["a", "b"])
        #expect(try await fixture.names(cmp(.tag("team"), .like, .string("Vision_2"))) == ["b"])
        #expect(try await fixture.names(cmp(.param("opt"), .like, .string("A*"))).isEmpty, "GLOB syntax is literal")
        #expect(try await fixture.names(cmp(.param("lr"), .in, .list(["0.1", "0.5"]))) == ["b"])
        #expect(try await fixture.names(cmp(.param("lr"), .notIn, .list(["0.1"]))).sorted() == ["a", "c"])
    }

    @Test("AND, OR and NOT compose", arguments: Backend.allCases)
    func boolean(backend: Backend) async throws {
        let fixture = try await SearchFixture(backend: backend)
        let highAcc = cmp(.metric("acc"), .greater, .number(0.6))
        let lr = cmp(.param("lr"), .equal, .string("0.01"))
        let vision = cmp(.tag("team"), .equal, .string("vision"))
        #expect(try await fixture.names(.and(highAcc, lr)).sorted() == ["a", "c"])
        #expect(
            try await fixture.names(.or(.and(highAcc, vision), cmp(.metric("loss"), .equal, .number(3)))).sorted()
                == ["a", "d"])
        #expect(try await fixture.names(.not(lr)).sorted() == ["b", "d"])
    }

    @Test("attributes filter by name, status, id and times", arguments: Backend.allCases)
    func attributes(backend: Backend) async throws {
        let fixture = try await SearchFixture(backend: backend)
        let a = try #require(fixture.runs["a"])
        _ = try await fixture.store.updateRun(id: a.id, RunUpdate(status: .finished))
        #expect(try await fixture.names(cmp(.attribute(.status), .equal, .string("FINISHED"))) == ["a"])
        #expect(try await fixture.names(cmp(.attribute(.runName), .equal, .string("c"))) == ["c"])
        #expect(try await fixture.names(cmp(.attribute(.runID), .in, .list([a.id.rawValue]))) == ["a"])
        #expect(try await fixture.names(cmp(.attribute(.endTime), .greater, .number(0))) == ["a"])
        #expect(try await fixture.names(cmp(.attribute(.startTime), .greater, .number(0))).count == 4)
    }

    @Test("ordering: numbers, then NaN, then missing, in both directions", arguments: Backend.allCases)
    func ordering(backend: Backend) async throws {
        let fixture = try await SearchFixture(backend: backend)
        #expect(
            try await fixture.names(nil, orderBy: [OrderKey(field: .metric("loss"), ascending: true)])
                == ["a", "d", "b", "c"])
        #expect(
            try await fixture.names(nil, orderBy: [OrderKey(field: .metric("loss"), ascending: false)])
                == ["d", "a", "b", "c"])
        #expect(
            try await fixture.names(nil, orderBy: [OrderKey(field: .param("opt"), ascending: false)])
                == ["b", "a", "d", "c"])
        #expect(try await fixture.names(nil) == ["d", "c", "b", "a"], "newest first by default")
    }

    @Test("pagination covers every match once, with a total count", arguments: Backend.allCases)
    func pagination(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let experiment = try await store.makeExperiment()
        for index in 0..<23 { _ = try await store.makeRun(in: experiment.id, metrics: ["m": Double(index)]) }
        var seen: [Double] = []
        var cursor: String?
        repeat {
            let page = try await store.searchRuns(
                RunQuery(
                    experimentIDs: [experiment.id], orderBy: [OrderKey(field: .metric("m"), ascending: true)],
                    limit: 5, cursor: cursor, countTotal: true))
            #expect(page.totalCount == 23)
            seen += page.items.compactMap { $0.latestMetrics.first?.value }
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen == (0..<23).map(Double.init))
    }

    @Test("search spans experiments and honours lifecycle", arguments: Backend.allCases)
    func scope(backend: Backend) async throws {
        let fixture = try await SearchFixture(backend: backend)
        let other = try await fixture.store.makeExperiment("other")
        let elsewhere = try await fixture.store.makeRun(in: other.id, name: "e", params: ["lr": "0.01"])
        let lr = cmp(.param("lr"), .equal, .string("0.01"))
        let all = try await fixture.store.searchRuns(RunQuery(filter: lr))
        #expect(all.items.map(\.name).sorted() == ["a", "c", "e"])
        try await fixture.store.deleteRuns(ids: [elsewhere.id])
        #expect(try await fixture.store.searchRuns(RunQuery(filter: lr)).items.count == 2)
        let trash = try await fixture.store.searchRuns(RunQuery(filter: lr, lifecycle: .deleted))
        #expect(trash.items.map(\.name) == ["e"])
    }

    @Test("forEachRun streams every match in chunks; runColumns lists the keys", arguments: Backend.allCases)
    func export(backend: Backend) async throws {
        let fixture = try await SearchFixture(backend: backend)
        let chunks = Chunks()
        try await fixture.store.forEachRun(
            matching: RunQuery(experimentIDs: [fixture.experiment.id]), chunkSize: 3
        ) { runs in await chunks.add(runs.map(\.name)) }
        #expect(await chunks.all == [["a", "b", "c"], ["d"]])
        let columns = try await fixture.store.runColumns(experimentIDs: [fixture.experiment.id])
        #expect(
            columns == RunColumns(params: ["lr", "opt"], metrics: ["acc", "loss"], tags: ["mlflow.runName", "team"]))
    }

    @Test("dashboard counts and best runs come from the database", arguments: Backend.allCases)
    func dashboard(backend: Backend) async throws {
        let fixture = try await SearchFixture(backend: backend)
        let data = try await fixture.store.dashboard(metric: "acc", goal: .max)
        #expect(data.totalRuns == 4)
        #expect(data.runsByStatus == ["RUNNING": 4])
        #expect(data.totalExperiments == 2)
        #expect(data.bestRuns.map(\.runName) == ["a"])
        #expect(data.runsPerDay.map(\.count).reduce(0, +) == 4)
        let worst = try await fixture.store.dashboard(metric: "acc", goal: .min)
        #expect(worst.bestRuns.map(\.value) == [0.5])
    }
}

private actor Chunks {
    var all: [[String]] = []
    func add(_ names: [String]) { all.append(names) }
}
