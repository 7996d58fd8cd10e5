import Hummingbird
import LablogCore
import NIOCore

/// `GET /ui/runs/{run_id}/chart?key=…`: one metric chart of a run as SVG, recomputed by the store for the
/// requested range (at most 1,000 buckets), which the chart script swaps in on zoom and on live refresh.
struct RunChartRoute {
    let store: any TrackingStore
    let configuration: ServerConfiguration

    static let pattern = "/ui/runs/{run_id}/chart"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(Self.pattern), use: chart)
    }

    /// The chart URL of a metric with the given options, without a range (the script appends `from` and `to`).
    static func url(_ id: RunID, key: String, options: RunChartOptions) -> String {
        WebPaths.with("/ui/runs/\(id.rawValue)/chart", query: [("key", key)] + options.queryItems)
    }

    @Sendable func chart(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryItems(request.uri)
        guard let key = query.value("key"), !key.isEmpty else {
            throw LablogError.badRequest("'key' names the metric to chart")
        }
        let run = try await store.run(id: try context.runID())
        let options = RunChartOptions(query)
        let chart = try await RunChartBuilder(store: store, colors: configuration.chartColors)
            .chart(run: run, key: key, options: options)
        var headers = HTTPFields()
        headers[.contentType] = "image/svg+xml; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: chart.svg())))
    }
}
