import LablogCore

/// One line of a chart: a run's metric history, already reduced to buckets by the store.
struct ChartSeries: Sendable {
    /// The legend text (a run name, or a metric key); escaped when drawn.
    var label: String
    /// A CSS colour from `CHART_COLORS`.
    var color: String
    /// The buckets in x order, as ``TrackingStore/metricBuckets(runID:key:axis:from:to:buckets:)`` returns them.
    var buckets: [MetricBucket]
    /// Subtracted from every x before drawing: the run's start time on the relative-time axis, else 0.
    var xOffset: Int64 = 0
}

/// What a chart's x axis shows.
enum ChartXAxis: String, Sendable, CaseIterable {
    case step
    /// Wall-clock time (UTC).
    case wallTime = "time"
    /// Time since the run started.
    case relativeTime = "relative"

    /// The store axis the buckets are computed on.
    var storeAxis: ChartAxis { self == .step ? .step : .time }

    /// The axis title under the chart.
    var title: String {
        switch self {
        case .step: "Step"
        case .wallTime: "Time (UTC)"
        case .relativeTime: "Time since start"
        }
    }
}

/// How a chart's y axis maps values.
enum ChartScale: String, Sendable, CaseIterable {
    case linear
    /// Base-10 logarithm; values at or below zero cannot be drawn and are left out (the chart says so).
    case log
}

/// Lablog's own palette, used when `CHART_COLORS` is empty.
enum ChartPalette {
    /// The colour of series `index`, cycling through `colors`.
    static func color(_ index: Int, in colors: [String]) -> String {
        let palette = colors.isEmpty ? ServerConfiguration.defaultChartColors : colors
        return palette[index % palette.count]
    }
}
