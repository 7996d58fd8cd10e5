import Hummingbird
import LablogCore

/// MLflow's metric-history RPCs: one run's history in pages, and sampled histories of several runs for charts.
struct MLflowMetricRoutes {
    let store: any TrackingStore

    func addRoutes(to router: Router<AppRequestContext>) {
        for method in [HTTPRequest.Method.get, .post] {
            router.on(RouterPath(MLflowPaths.metricsGetHistory), method: method, use: history)
            router.on(RouterPath(MLflowPaths.metricsGetHistoryBulkInterval), method: method, use: bulkInterval)
        }
    }

    /// `metrics/get-history` -> `{"metrics": [...], "next_page_token": ...}` ordered by step, then timestamp.
    ///
    /// An unknown run or key has an empty history (`{}`), as in MLflow.
    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowMetricHistoryRequest.self, from: request, context: context)
        let query = HistoryQuery(
            limit: min(body.maxResults ?? Limits.maxHistoryPageSize, Limits.maxHistoryPageSize), cursor: body.pageToken)
        let page: Page<MetricPoint>
        do {
            page = try await store.metricHistory(runID: body.runID, key: body.key, query)
        } catch LablogError.notFound(.run, _), LablogError.notFound(.metric, _) {
            return try MLflowJSON.emptyResponse()
        }
        return try MLflowJSON.response(
            MLflowMetricsPage(metrics: page.items.map { MLflowMetric($0) }, nextPageToken: page.nextCursor))
    }

    /// `metrics/get-history-bulk-interval` -> `{"metrics": [{..., "run_id"}]}`, at most `max_results` steps of each
    /// run (its first and last always among them), sorted by run, then step.
    @Sendable func bulkInterval(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowBulkIntervalRequest.self, from: request, context: context)
        let histories = try await store.sampledMetricHistories(
            runIDs: body.runIDs, key: body.key, startStep: body.startStep, endStep: body.endStep,
            maxResults: body.maxResults)
        let metrics = histories.sorted { $0.key < $1.key }.flatMap { runID, points in
            points.map { MLflowMetric($0, runID: runID) }
        }
        return try MLflowJSON.response(MLflowMetricsPage(metrics: metrics))
    }
}
