import Foundation
import Hummingbird
import LablogCore

/// `/dashboard`: experiments and runs by status, runs per day, and each experiment's best run for a metric, from
/// one store call (the data of `/api/dashboard/data`).
struct DashboardPage {
    let store: any TrackingStore
    let pages: PageRenderer

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(WebPaths.dashboard), use: show)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryItems(request.uri)
        let typedMetric = query.value("metric")?.trimmingCharacters(in: .whitespaces) ?? ""
        let goal = query.value("goal").flatMap { MetricGoal(rawValue: $0.lowercased()) } ?? .max
        var error: String?
        var metric = typedMetric.isEmpty ? "accuracy" : typedMetric
        if metric.count > Limits.maxKeyLength {
            error = "A metric key has at most \(Limits.maxKeyLength) characters."
            metric = "accuracy"
        }
        let data = try await store.dashboard(metric: metric, goal: goal)
        let model = DashboardPageModel(data, metric: error == nil ? metric : typedMetric, goal: goal, error: error)
        return try pages.render(model, status: error == nil ? .ok : .unprocessableContent)
    }
}

/// The dashboard's view model.
struct DashboardPageModel: PageModel {
    static let template = "dashboard"

    let layout: LayoutModel
    let totalExperiments: String
    let totalRuns: String
    let experimentsByStatus: [BarRow]
    let runsByStatus: [BarRow]
    let hasRunsPerDay: Bool
    /// The runs-per-day chart for wide and for narrow screens: SVG built by ``DashboardChart``, which escapes
    /// every text it writes.
    let runsPerDayChartWide: String
    let runsPerDayChartNarrow: String
    let runsPerDay: [DayRow]
    let metric: String
    let goalOptions: [OptionModel]
    let goalText: String
    let error: String?
    let bestRuns: [BestRunRow]
    let hasBestRuns: Bool

    init(_ data: DashboardData, metric: String, goal: MetricGoal, error: String?) {
        layout = Assets.layout(onDashboard: true)
        totalExperiments = NumberFormatting.count(data.totalExperiments)
        totalRuns = NumberFormatting.count(data.totalRuns)
        experimentsByStatus = BarRow.rows(data.experimentsByStatus)
        runsByStatus = BarRow.rows(data.runsByStatus)
        hasRunsPerDay = !data.runsPerDay.isEmpty
        runsPerDayChartWide = DashboardChart.runsPerDay(data.runsPerDay, shape: .wide)
        runsPerDayChartNarrow = DashboardChart.runsPerDay(data.runsPerDay, shape: .narrow)
        runsPerDay = data.runsPerDay.map { DayRow(day: $0.day, count: NumberFormatting.count($0.count)) }
        self.metric = metric
        goalOptions = OptionModel.list(
            [("max", "Highest is best"), ("min", "Lowest is best")], selected: goal.rawValue)
        goalText = goal == .max ? "highest" : "lowest"
        self.error = error
        bestRuns = data.bestRuns.map(BestRunRow.init)
        hasBestRuns = !data.bestRuns.isEmpty
    }
}

/// One bar of a by-status chart: the label, the count as text and the bar's share of the largest count.
struct BarRow: Sendable {
    let label: String
    let count: String
    /// The bar's width in percent of the row, e.g. `42.5`.
    let percent: String

    /// The rows of a status count map, largest first (ties by name).
    static func rows(_ counts: [String: Int]) -> [BarRow] {
        let largest = max(counts.values.max() ?? 0, 1)
        return counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { status, count in
            let share = Double(count) / Double(largest) * 100
            return BarRow(
                label: status, count: NumberFormatting.count(count),
                percent: String(Double((share * 10).rounded()) / 10))
        }
    }
}

/// One day of the runs-per-day table.
struct DayRow: Sendable {
    let day: String
    let count: String
}

/// One row of the best-runs table.
struct BestRunRow: Sendable {
    let experimentName: String
    let experimentURL: String
    let runName: String
    let runURL: String
    let value: String

    init(_ best: BestRun) {
        experimentName = best.experimentName
        experimentURL = WebPaths.experiment(best.experimentID)
        runName = best.runName.isEmpty ? best.runID.rawValue : best.runName
        runURL = WebPaths.run(best.runID)
        value = NumberFormatting.significant(best.value)
    }
}
