import LablogCore

/// The chart settings of the run page and its chart route, read from the query: `axis` (`step`, `time`,
/// `relative`), `scale` (`linear`, `log`), `smooth` (0 to 0.99), and for one chart `from`, `to` (axis units:
/// steps, epoch milliseconds, or milliseconds since the start) and `buckets`.
struct RunChartOptions: Sendable, Equatable {
    var axis: ChartXAxis = .step
    var scale: ChartScale = .linear
    var smoothing: Double = 0
    var from: Int64?
    var to: Int64?
    var buckets: Int = RunChartOptions.defaultBuckets

    /// Enough buckets for a sharp line at the chart's width.
    static let defaultBuckets = 300
    /// The most buckets any chart asks the store for, whatever the request says.
    static let maxBuckets = 1000

    /// Reads the options; unknown or malformed values fall back to the defaults, so a hand-edited URL still shows
    /// the page, and `buckets` is capped at ``maxBuckets``.
    init(_ query: QueryItems) {
        axis = query.value("axis").flatMap(ChartXAxis.init(rawValue:)) ?? .step
        scale = query.value("scale").flatMap(ChartScale.init(rawValue:)) ?? .linear
        if let text = query.value("smooth"), let value = Double(text), value.isFinite {
            smoothing = min(max(value, 0), LineChart.maxSmoothing)
        }
        from = query.value("from").flatMap { Int64($0) }
        to = query.value("to").flatMap { Int64($0) }
        if let from, let to, from > to { (self.from, self.to) = (to, from) }
        if let text = query.value("buckets"), let count = Int(text) {
            buckets = min(max(count, 1), Self.maxBuckets)
        }
    }

    init() {}

    /// The query parameters that reproduce these options (defaults left out).
    var queryItems: [(name: String, value: String?)] {
        [
            ("axis", axis == .step ? nil : axis.rawValue), ("scale", scale == .linear ? nil : scale.rawValue),
            ("smooth", smoothing == 0 ? nil : NumberFormatting.significant(smoothing, digits: 2)),
        ]
    }
}

/// Builds a run's metric charts from the store's buckets.
struct RunChartBuilder {
    let store: any TrackingStore
    let colors: [String]

    /// The chart of one metric of `run`.
    /// - Throws: ``LablogError/notFound(_:_:)`` when the run never logged `key`.
    func chart(run: Run, key: String, options: RunChartOptions) async throws -> LineChart {
        let offset = options.axis == .relativeTime ? run.startTime : 0
        let buckets = try await store.metricBuckets(
            runID: run.id, key: key, axis: options.axis.storeAxis, from: options.from.map { $0 + offset },
            to: options.to.map { $0 + offset }, buckets: options.buckets)
        var range: ClosedRange<Int64>?
        if let from = options.from, let to = options.to { range = from...to }
        let series = ChartSeries(
            label: key, color: ChartPalette.color(0, in: colors), buckets: buckets, xOffset: offset)
        return LineChart(
            title: key, axis: options.axis, scale: options.scale, smoothing: options.smoothing, series: [series],
            range: range, zoomURL: RunChartRoute.url(run.id, key: key, options: options))
    }
}
