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

/// Thirty runs whose sort keys tie, hold NaN or are missing, and a reference order computed here, so every page of
/// the store's order can be checked against it.
private struct OrderingFixture {
    let store: any TrackingStore
    let experiment: Experiment
    let runs: [Run]

    init(backend: Backend) async throws {
        store = try await backend.makeStore()
        experiment = try await store.makeExperiment("ordering")
        var runs: [Run] = []
        for index in 0..<30 {
            let metric: [String: Double] =
                switch index % 6 {
                case 0: ["m": .nan]
                case 1: [:]
                default: ["m": Double(index % 4)]
                }
            let param: [String: String] = index % 5 == 0 ? [:] : ["p": ["a", "b", "c"][index % 3]]
            runs.append(
                try await store.makeRun(
                    in: experiment.id, name: "r\(index)", params: param, metrics: metric,
                    tags: ["even": index % 2 == 0 ? "yes" : "no"]))
        }
        self.runs = runs
    }

    /// Every match in the store's order, read `pageSize` runs at a time, with the total count of each page.
    func pagedNames(_ filter: FilterExpression?, _ orderBy: [OrderKey], pageSize: Int) async throws
        -> (names: [String], totals: Set<Int?>)
    {
        var names: [String] = []
        var totals: Set<Int?> = []
        var cursor: String?
        repeat {
            let page = try await store.searchRuns(
                RunQuery(
                    experimentIDs: [experiment.id], filter: filter, orderBy: orderBy, limit: pageSize, cursor: cursor,
                    countTotal: true))
            names += page.items.map(\.name)
            totals.insert(page.totalCount)
            cursor = page.nextCursor
        } while cursor != nil
        return (names, totals)
    }

    /// The reference order: per key, values, then NaN (metrics), then missing; ties by newest start, then run id.
    func expectedNames(_ matching: (Run) -> Bool, _ orderBy: [OrderKey]) -> [String] {
        runs.filter(matching).sorted { lhs, rhs in
            for key in orderBy {
                let left = Self.sortValue(lhs, key.field)
                let right = Self.sortValue(rhs, key.field)
                if left.rank != right.rank { return left.rank < right.rank }
                if left.text != right.text { return key.ascending ? left.text < right.text : left.text > right.text }
                if left.number != right.number {
                    return key.ascending ? left.number < right.number : left.number > right.number
                }
            }
            if lhs.startTime != rhs.startTime { return lhs.startTime > rhs.startTime }
            return lhs.id.rawValue < rhs.id.rawValue
        }.map(\.name)
    }

    private static func sortValue(_ run: Run, _ field: FilterField) -> (rank: Int, number: Double, text: String) {
        switch field {
        case .metric(let key):
            guard let value = run.latestMetrics.first(where: { $0.key == key })?.value else { return (2, 0, "") }
            return value.isNaN ? (1, 0, "") : (0, value, "")
        case .param(let key):
            guard let value = run.params.first(where: { $0.key == key })?.value else { return (2, 0, "") }
            return (0, 0, value)
        case .attribute(.startTime): return (0, Double(run.startTime), "")
        case .attribute(.runName): return (0, 0, run.name)
        default: return (0, 0, "")
        }
    }
}

@Suite("Search store contract: ordering and paging")
struct SearchOrderingContractTests {
    private static let orders: [[OrderKey]] = [
        [],
        [OrderKey(field: .metric("m"), ascending: true)],
        [OrderKey(field: .metric("m"), ascending: false)],
        [OrderKey(field: .param("p"), ascending: true)],
        [OrderKey(field: .param("p"), ascending: false), OrderKey(field: .metric("m"), ascending: true)],
        [OrderKey(field: .metric("m"), ascending: false), OrderKey(field: .param("p"), ascending: true)],
        [OrderKey(field: .attribute(.startTime), ascending: true)],
        [OrderKey(field: .attribute(.runName), ascending: false)],
    ]

    @Test(
        "every page follows the reference order across ties, NaN and missing values",
        arguments: Backend.allCases, [1, 4, 7, 100])
    func pagesFollowTheOrder(backend: Backend, pageSize: Int) async throws {
        let fixture = try await OrderingFixture(backend: backend)
        for orderBy in Self.orders {
            let paged = try await fixture.pagedNames(nil, orderBy, pageSize: pageSize)
            #expect(paged.names == fixture.expectedNames({ _ in true }, orderBy), "order \(orderBy)")
            #expect(paged.totals == [30])
        }
    }

    @Test("filtered pages follow the reference order and count every match once", arguments: Backend.allCases)
    func filteredPagesFollowTheOrder(backend: Backend) async throws {
        let fixture = try await OrderingFixture(backend: backend)
        let filter = FilterExpression.or(
            cmp(.metric("m"), .greaterOrEqual, .number(2)),
            .and(cmp(.param("p"), .equal, .string("a")), .not(cmp(.tag("even"), .equal, .string("yes")))))
        let matching = { (run: Run) -> Bool in
            let metric = run.latestMetrics.first { $0.key == "m" }?.value
            let param = run.params.first { $0.key == "p" }?.value
            let even = run.tags.first { $0.key == "even" }?.value
            return (metric.map { $0 >= 2 } ?? false) || (param == "a" && even != "yes")
        }
        for orderBy in Self.orders {
            for pageSize in [2, 5] {
                let paged = try await fixture.pagedNames(filter, orderBy, pageSize: pageSize)
                let expected = fixture.expectedNames(matching, orderBy)
                #expect(paged.names == expected, "order \(orderBy), page size \(pageSize)")
                #expect(paged.totals == [expected.count])
            }
        }
    }

    @Test(
        "filters mixing equalities with other conditions give the same pages in every order",
        arguments: Backend.allCases)
    func mixedFilters(backend: Backend) async throws {
        let fixture = try await OrderingFixture(backend: backend)
        let param = { (run: Run) in run.params.first { $0.key == "p" }?.value }
        let metric = { (run: Run) in run.latestMetrics.first { $0.key == "m" }?.value }
        let even = { (run: Run) in run.tags.first { $0.key == "even" }?.value }
        let cases: [(FilterExpression, (Run) -> Bool)] = [
            (
                .and(
                    .or(cmp(.param("p"), .equal, .string("a")), cmp(.param("p"), .in, .list(["b", "x"]))),
                    cmp(.metric("m"), .greaterOrEqual, .number(1))),
                { run in ["a", "b"].contains(param(run)) && (metric(run).map { $0 >= 1 } ?? false) }
            ),
            (
                .and(
                    cmp(.tag("even"), .equal, .string("yes")),
                    .and(.not(cmp(.param("p"), .equal, .string("c"))), cmp(.metric("m"), .notEqual, .number(2)))),
                { run in
                    // NOT is plain boolean logic: runs without the param are not equal to "c".
                    even(run) == "yes" && param(run) != "c" && metric(run).map { $0.isNaN || $0 != 2 } ?? false
                }
            ),
            (
                .and(
                    .or(
                        .and(cmp(.param("p"), .equal, .string("b")), cmp(.metric("m"), .less, .number(3))),
                        cmp(.tag("even"), .in, .list(["no"]))),
                    cmp(.param("p"), .isNotNull)),
                { run in
                    param(run) != nil
                        && ((param(run) == "b" && (metric(run).map { $0 < 3 } ?? false)) || even(run) == "no")
                }
            ),
        ]
        for (filter, matching) in cases {
            for orderBy in Self.orders {
                let paged = try await fixture.pagedNames(filter, orderBy, pageSize: 3)
                let expected = fixture.expectedNames(matching, orderBy)
                #expect(paged.names == expected, "filter \(filter), order \(orderBy)")
                #expect(paged.totals == [expected.count])
            }
        }
    }

    @Test("results are the same when the experiment is a small part of the database", arguments: Backend.allCases)
    func smallScopeInLargeDatabase(backend: Backend) async throws {
        let fixture = try await OrderingFixture(backend: backend)
        let other = try await fixture.store.makeExperiment("large")
        for index in 0..<250 {
            _ = try await fixture.store.makeRun(
                in: other.id, params: ["p": "a"], metrics: ["m": Double(index)], tags: ["even": "yes"])
        }
        let filter = FilterExpression.or(cmp(.metric("m"), .isNull), cmp(.param("p"), .notEqual, .string("a")))
        let matching = { (run: Run) -> Bool in
            let param = run.params.first { $0.key == "p" }?.value
            return !run.latestMetrics.contains { $0.key == "m" } || (param.map { $0 != "a" } ?? false)
        }
        for orderBy in Self.orders {
            let paged = try await fixture.pagedNames(filter, orderBy, pageSize: 3)
            let expected = fixture.expectedNames(matching, orderBy)
            #expect(paged.names == expected, "order \(orderBy)")
            #expect(paged.totals == [expected.count])
        }
    }

    @Test("a cursor past the last match gives an empty page", arguments: Backend.allCases)
    func pastTheEnd(backend: Backend) async throws {
        let fixture = try await OrderingFixture(backend: backend)
        let first = try await fixture.store.searchRuns(
            RunQuery(
                experimentIDs: [fixture.experiment.id], orderBy: [OrderKey(field: .metric("m"), ascending: true)],
                limit: 29))
        let second = try await fixture.store.searchRuns(
            RunQuery(
                experimentIDs: [fixture.experiment.id], orderBy: [OrderKey(field: .metric("m"), ascending: true)],
                limit: 29, cursor: first.nextCursor))
        #expect(second.items.count == 1)
        #expect(second.nextCursor == nil)
        #expect(Set(first.items.map(\.name) + second.items.map(\.name)).count == 30)
    }
}
