import Foundation
import Hummingbird
import LablogCore

/// `/runs/{run_id}`: one run with its params, editable tags, latest metrics, a chart per metric and its artifacts.
/// Tag changes are plain forms that post and redirect back, so the page works without JavaScript.
struct RunPage {
    let store: any TrackingStore
    let configuration: ServerConfiguration
    let pages: PageRenderer

    /// Charts drawn into the page itself; the others load when opened, so a run with hundreds of metric keys
    /// still answers quickly.
    static let inlineCharts = 12
    /// The most child runs listed.
    static let childLimit = 100

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(WebPaths.Pattern.run), use: show)
        router.post(RouterPath(WebPaths.Pattern.run + "/tags"), use: setTag)
        router.post(RouterPath(WebPaths.Pattern.run + "/tags/delete"), use: deleteTag)
        RunChartRoute(store: store, configuration: configuration).addRoutes(to: router)
    }

    /// Sets a tag (form fields `key`, `value`).
    static func tagsURL(_ id: RunID) -> String { WebPaths.run(id) + "/tags" }
    /// Removes a tag (form field `key`).
    static func tagDeleteURL(_ id: RunID) -> String { WebPaths.run(id) + "/tags/delete" }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryItems(request.uri)
        let run = try await store.run(id: try context.runID())
        let experiment = try await store.experiment(id: run.experimentID)
        let options = RunChartOptions(query)
        let parent = try await parentLink(run)
        let children = try await childRuns(run)
        let keys = run.latestMetrics.map(\.key)
        let inlineCount = query.value("charts") == "all" ? keys.count : Self.inlineCharts
        var charts: [ChartView] = []
        let builder = RunChartBuilder(store: store, colors: configuration.chartColors)
        for key in keys.prefix(inlineCount) {
            let chart = try await builder.chart(run: run, key: key, options: options)
            charts.append(ChartView(key: key, svg: chart.svg(), url: chart.zoomURL ?? ""))
        }
        let lazy = keys.dropFirst(inlineCount).map { key in
            ChartView(key: key, svg: "", url: RunChartRoute.url(run.id, key: key, options: options))
        }
        let path = query.value("path") ?? ""
        let artifacts = try await RunArtifacts(
            storage: ArtifactStorage(root: configuration.artifactsDirectory), runID: run.id
        ).section(artifactURI: run.artifactURI, path: path)
        let model = RunPageModel(
            layout: Assets.layout(), chartScriptURL: ChartScript.asset.url, runID: run.id.rawValue, name: run.name,
            status: run.status.rawValue, duration: Self.duration(run), start: TimeCell(milliseconds: run.startTime),
            end: run.endTime.map { [TimeCell(milliseconds: $0)] } ?? [], experimentName: experiment.name,
            experimentURL: WebPaths.experiment(experiment.id), userID: run.userID, hasUser: !run.userID.isEmpty,
            isDeleted: run.lifecycle == .deleted, parent: parent, children: children.links,
            hasChildren: !children.links.isEmpty, moreChildren: children.more,
            params: run.params.map { KeyValueView(key: $0.key, value: $0.value) }, hasParams: !run.params.isEmpty,
            tags: run.tags.map { KeyValueView(key: $0.key, value: $0.value) }, hasTags: !run.tags.isEmpty,
            tagFormURL: Self.tagsURL(run.id), tagDeleteURL: Self.tagDeleteURL(run.id),
            metrics: run.latestMetrics.map(Self.metricRow), hasMetrics: !keys.isEmpty,
            controls: Self.controls(options, path: path), charts: charts, lazyCharts: lazy,
            hasLazyCharts: !lazy.isEmpty, lazyChartCount: NumberFormatting.count(lazy.count),
            allChartsURL: WebPaths.with(WebPaths.run(run.id), query: options.queryItems + [("charts", "all")])
                + "#charts",
            liveURL: run.status == .running ? Paths.run(run.id) : "", isLive: run.status == .running,
            artifacts: artifacts)
        return try pages.render(model)
    }

    @Sendable func setTag(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.runID()
        let form = try await PageForm.read(request)
        guard let key = form.trimmed("key") else {
            throw LablogError.invalidValue(field: "key", reason: "a tag needs a key")
        }
        try await store.setRunTag(runID: id, KeyValue(key: key, value: form.value("value") ?? ""))
        return PageForm.redirect(to: WebPaths.run(id) + "#tags")
    }

    @Sendable func deleteTag(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.runID()
        let form = try await PageForm.read(request)
        guard let key = form.value("key") else {
            throw LablogError.invalidValue(field: "key", reason: "name the tag to remove")
        }
        try await store.deleteRunTag(runID: id, key: key)
        return PageForm.redirect(to: WebPaths.run(id) + "#tags")
    }

    private func parentLink(_ run: Run) async throws -> [RunLinkView] {
        guard let parentID = run.parentRunID else { return [] }
        do {
            let parent = try await store.run(id: parentID)
            return [RunLinkView(name: parent.name, url: WebPaths.run(parent.id), status: parent.status.rawValue)]
        } catch LablogError.notFound {
            return []
        }
    }

    /// The runs whose `mlflow.parentRunId` tag names this run (MLflow sets it on every nested run).
    private func childRuns(_ run: Run) async throws -> (links: [RunLinkView], more: Bool) {
        let filter = try FilterParser.parse("tags.`\(RunTagKeys.parentRunID)` = '\(run.id.rawValue)'")
        let page = try await store.searchRuns(
            RunQuery(experimentIDs: [run.experimentID], filter: filter, limit: Self.childLimit))
        let links = page.items.map {
            RunLinkView(name: $0.name, url: WebPaths.run($0.id), status: $0.status.rawValue)
        }
        return (links, page.nextCursor != nil)
    }

    private static func metricRow(_ point: MetricPoint) -> MetricRowView {
        MetricRowView(
            key: point.key, value: NumberFormatting.significant(point.value), step: String(point.step),
            time: TimeCell(milliseconds: point.timestamp))
    }

    private static func controls(_ options: RunChartOptions, path: String) -> ChartControlsView {
        ChartControlsView(
            axes: ChartXAxis.allCases.map {
                .init(value: $0.rawValue, label: $0.title, selected: $0 == options.axis)
            },
            scales: ChartScale.allCases.map {
                .init(value: $0.rawValue, label: $0 == .log ? "Log" : "Linear", selected: $0 == options.scale)
            },
            smoothing: NumberFormatting.significant(options.smoothing, digits: 2), path: path, hasPath: !path.isEmpty)
    }

    /// The run's length: to its end, or so far while it has none.
    static func duration(_ run: Run) -> String {
        // Only a running run reads the clock, for display; nothing is stored or compared with it.
        let end = run.endTime ?? Int64(Date().timeIntervalSince1970 * 1000)
        let text = LineChart.duration(max(0, end - run.startTime))
        return run.endTime == nil ? text + " so far" : text
    }
}
