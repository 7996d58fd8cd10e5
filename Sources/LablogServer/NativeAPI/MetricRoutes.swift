import Hummingbird
import LablogCore

/// Metric ingestion and histories: what a training script logs while it runs, and what charts read back.
struct MetricRoutes {
    let store: any TrackingStore
    /// The time stamped on points sent without a timestamp.
    let now: @Sendable () -> Int64

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post(RouterPath(Paths.Pattern.runMetrics), use: logMetrics)
        router.get(RouterPath(Paths.Pattern.runMetricHistory), use: history)
        router.get(RouterPath(Paths.Pattern.runMetricHistoryStream), use: history)
        router.get(RouterPath(Paths.Pattern.runMetricBuckets), use: buckets)
    }

    /// `POST /api/runs/{run_id}/metrics` with `[{"key", "value", "step", "timestamp"}]` or `{"metrics": [...]}`
    /// -> `{"logged": n}`. The ingestion hot path: one decode, one store call.
    @Sendable func logMetrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.runID()
        let body = try await request.collectJSONBody(context: context)
        let timestamp = now()
        let points =
            try MetricBatchParser.parse(body, defaultTimestamp: timestamp)
            ?? WireJSON.decode(MetricBatchRequest.self, from: body).points.map { $0.point(defaultTimestamp: timestamp) }
        try await store.logBatch(runID: id, metrics: points, params: [], tags: [])
        return try WireJSON.response(LoggedResult(logged: points.count))
    }

    /// `GET /api/runs/{run_id}/metrics/{key}[/history]?from_step=&to_step=&limit=&cursor=` -> `[{"value", "step",
    /// "timestamp"}]` ordered by step, with a `Link` header while more points follow. With `Accept:
    /// application/octet-stream` or `text/csv`, the whole history in one streamed response instead.
    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.runID()
        let key = try context.metricKey()
        let query = QueryItems(request.uri)
        if let format = HistoryStreamFormat(accept: request.headers[.accept]) {
            return try await streamHistory(
                runID: id, key: key, fromStep: try query.integer("from_step"), toStep: try query.integer("to_step"),
                format: format)
        }
        let historyQuery = HistoryQuery(
            fromStep: try query.integer("from_step"), toStep: try query.integer("to_step"),
            limit: try query.limit(default: 10_000, maximum: Limits.maxHistoryPageSize), cursor: query.cursor)
        let page = try await store.metricHistory(runID: id, key: key, historyQuery)
        return try PageResponse.make(
            page.items.map { MetricPointResponse($0, includingKey: false) }, nextCursor: page.nextCursor,
            totalCount: page.totalCount, request: request, query: query)
    }
}
