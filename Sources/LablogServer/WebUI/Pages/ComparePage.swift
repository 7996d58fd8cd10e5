import Hummingbird
import LablogCore

/// `/experiments/{experiment_id}/compare?runs=...` and `/compare?runs=...` (runs of any experiments): params side
/// by side, latest metrics with the best marked, overlaid metric charts, parallel coordinates and a scatter.
struct ComparePage {
    /// How often the page refreshes its metrics and charts while a compared run is RUNNING.
    static let liveIntervalMilliseconds = 5000

    let store: any TrackingStore
    let configuration: ServerConfiguration
    let pages: PageRenderer

    /// The most runs one comparison reads; more ids are ignored and the page says so.
    static let maxRuns = 500
    /// The most metric keys drawn as charts, and the most runs drawn in each.
    static let maxChartMetrics = 8
    static let maxChartRuns = 100
    /// The most buckets per run and chart: enough for a 640-unit-wide chart.
    static let maxBucketsPerRun = 300
    /// The fewest buckets per run and chart, however many runs are drawn.
    static let minBucketsPerRun = 10
    /// Buckets drawn on the whole page, shared by every line of every chart, so the page stays small (about 100
    /// bytes each: hover data and path segments) however many runs are compared.
    static let pageBucketBudget = 1000

    /// How many metric keys are charted before the user chooses: fewer when many runs are compared, since every
    /// line costs about 650 bytes before its buckets.
    static func defaultChartCount(runs: Int) -> Int {
        max(1, min(4, 150 / max(1, runs)))
    }

    /// Lines drawn on the whole page (charts times runs), whatever the reader chooses: with the bucket budget it
    /// bounds the page's size.
    static let pageLineBudget = 120

    /// How many charts may be drawn for `runs` runs: at most ``maxChartMetrics`` and within the line budget.
    static func maxCharts(runs: Int) -> Int {
        max(1, min(maxChartMetrics, pageLineBudget / max(1, runs)))
    }

    /// Buckets per run so that `charts` charts of `runs` lines each stay within the page's budget.
    static func bucketsPerRun(charts: Int, runs: Int) -> Int {
        guard charts > 0, runs > 0 else { return maxBucketsPerRun }
        return min(maxBucketsPerRun, max(minBucketsPerRun, pageBucketBudget / (charts * runs)))
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(WebPaths.Pattern.experimentCompare), use: compareInExperiment)
        router.get(RouterPath(WebPaths.compareAcross), use: compareAcross)
    }

    @Sendable func compareInExperiment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        let experiment = try await store.experiment(id: id)
        return try await render(request, experiment: experiment)
    }

    @Sendable func compareAcross(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(request, experiment: nil)
    }

    private func render(_ request: Request, experiment: Experiment?) async throws -> Response {
        let state = CompareState(QueryItems(request.uri))
        let requested = Array(state.runIDs.prefix(Self.maxRuns))
        let runs = try await loadRuns(requested, experimentID: experiment?.id)
        var experimentNames: [ExperimentID: String] = [:]
        if let experiment {
            experimentNames[experiment.id] = experiment.name
        } else {
            for id in Set(runs.map(\.experimentID)) {
                experimentNames[id] = try await store.experiment(id: id).name
            }
        }
        let metricKeys = Set(runs.flatMap { $0.latestMetrics.map(\.key) }).sorted()
        let drawn = Array(runs.prefix(Self.maxChartRuns))
        let chartKeys = Array(
            (state.chartKeys.map { chosen in metricKeys.filter(chosen.contains) }
                ?? Array(metricKeys.prefix(Self.defaultChartCount(runs: runs.count))))
                .prefix(Self.maxCharts(runs: drawn.count)))
        let perRun = Self.bucketsPerRun(charts: chartKeys.count, runs: drawn.count)
        let buckets = try await loadBuckets(runs: drawn, keys: chartKeys, buckets: perRun)
        let builder = CompareBuilder(
            state: state, experiment: experiment, runs: runs, experimentNames: experimentNames,
            colors: configuration.chartColors)
        let model = builder.model(
            chartKeys: chartKeys, buckets: buckets, bucketsPerRun: perRun, missing: requested.count - runs.count,
            ignored: state.runIDs.count - requested.count)
        return try pages.render(model)
    }

    /// The runs in the order they were asked for, read with one search.
    private func loadRuns(_ ids: [RunID], experimentID: ExperimentID?) async throws -> [Run] {
        guard !ids.isEmpty else { return [] }
        let filter = FilterExpression.comparison(
            Comparison(field: .attribute(.runID), op: .in, value: .list(ids.map(\.rawValue))))
        let page = try await store.searchRuns(
            RunQuery(
                experimentIDs: experimentID.map { [$0] } ?? [], filter: filter, lifecycle: .all, limit: ids.count))
        let byID = Dictionary(page.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byID[$0] }
    }

    /// Each chart's buckets per run, read one metric key per task.
    private func loadBuckets(runs: [Run], keys: [String], buckets: Int) async throws
        -> [String: [RunID: [MetricBucket]]]
    {
        let store = self.store
        return try await withThrowingTaskGroup(of: (String, [RunID: [MetricBucket]]).self) { group in
            for key in keys {
                let holders = runs.filter { run in run.latestMetrics.contains { $0.key == key } }.map(\.id)
                group.addTask {
                    var byRun: [RunID: [MetricBucket]] = [:]
                    for run in holders {
                        byRun[run] = try await store.metricBuckets(
                            runID: run, key: key, axis: .step, from: nil, to: nil, buckets: buckets)
                    }
                    return (key, byRun)
                }
            }
            var result: [String: [RunID: [MetricBucket]]] = [:]
            for try await (key, byRun) in group { result[key] = byRun }
            return result
        }
    }
}

/// The compare page's state as the URL carries it.
struct CompareState: Sendable {
    /// The requested runs, in order, without repeats; `runs` may repeat and may list ids separated by commas.
    let runIDs: [RunID]
    let differencesOnly: Bool
    /// Metric keys whose best direction the user flipped from the default.
    let flipped: Set<String>
    /// The params chosen for the parallel-coordinates chart, or nil for the default.
    let parallelParams: [String]?
    let parallelMetric: String?
    let scatterX: String?
    let scatterY: String?
    /// The metric keys chosen for charts, or nil for the default.
    let chartKeys: [String]?
    private let flippedInOrder: [String]

    init(_ query: QueryItems) {
        var seen = Set<RunID>()
        runIDs = query.commaSeparatedValues("runs").compactMap(RunID.init).filter { seen.insert($0).inserted }
        differencesOnly = ["1", "true", "on"].contains(query.value("diff") ?? "")
        flippedInOrder = query.values("flip")
        flipped = Set(flippedInOrder)
        let chosen = query.values("pc")
        parallelParams = chosen.isEmpty && query.value("pc_set") == nil ? nil : chosen
        parallelMetric = query.value("pc_metric").flatMap { $0.isEmpty ? nil : $0 }
        scatterX = query.value("x").flatMap { $0.isEmpty ? nil : $0 }
        scatterY = query.value("y").flatMap { $0.isEmpty ? nil : $0 }
        let charted = query.values("chart")
        chartKeys = charted.isEmpty && query.value("chart_set") == nil ? nil : charted
    }

    /// Every parameter of the page, for links and for the forms that keep the rest of the state.
    var query: PageQuery {
        var query = PageQuery()
        query.add("runs", runIDs.map(\.rawValue).joined(separator: ","))
        query.add("diff", differencesOnly ? "1" : nil)
        query.add("flip", each: flippedInOrder)
        if let parallelParams {
            query.add("pc_set", "1")
            query.add("pc", each: parallelParams)
        }
        query.add("pc_metric", parallelMetric)
        query.add("x", scatterX)
        query.add("y", scatterY)
        if let chartKeys {
            query.add("chart_set", "1")
            query.add("chart", each: chartKeys)
        }
        return query
    }

    /// The query with `key`'s best direction flipped.
    func flipping(_ key: String) -> PageQuery {
        var query = self.query.removing(["flip"])
        let flips = flipped.contains(key) ? flippedInOrder.filter { $0 != key } : flippedInOrder + [key]
        query.add("flip", each: flips)
        return query
    }
}
