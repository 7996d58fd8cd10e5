import Foundation
import LablogCore

/// A line chart drawn on the server as SVG: per bucket a vertical min–max segment (so no spike disappears
/// however many points a bucket holds), the mean line over it, optionally an exponential moving average with the
/// raw line kept faint, axes with nice ticks, and a legend.
///
/// The SVG carries what the chart script needs for hover read-out and zoom as data attributes: the plot area
/// (`data-plot`), the plotted domain (`data-x0`, `data-x1`, `data-y0`, `data-y1`), the zoom URL, and per series
/// its buckets as `x0,x1,min,max,mean;…` in axis units. Every user string (title, labels) is escaped here.
struct LineChart: Sendable {
    /// The chart's name (a metric key), used for its accessible title.
    var title: String
    var axis: ChartXAxis
    var scale: ChartScale = .linear
    /// The EMA weight, 0 (no smoothing) to 0.99.
    var smoothing: Double = 0
    var series: [ChartSeries]
    /// The x range to plot, in axis units (after each series' offset); the data's extent when nil.
    var range: ClosedRange<Int64>? = nil
    /// The URL that returns this chart recomputed for another range (`from` and `to` are appended); no zoom when
    /// nil.
    var zoomURL: String? = nil

    static let width = 480.0
    static let plotTop = 12.0
    /// The narrowest room left of the plot for the y tick labels; wider when the labels need it.
    static let plotLeft = 56.0
    static let plotRight = 12.0
    static let plotHeight = 220.0
    static let axisSpace = 50.0
    static let legendRow = 24.0
    /// The longest legend label drawn in full in a two-column legend; longer labels put the legend in one column.
    static let shortLabel = 18
    /// The longest legend label drawn in one column; longer ones are cut with an ellipsis (the full text is the
    /// item's title).
    static let longLabel = 42
    /// The font size of axis and legend text on narrow screens, where the chart is drawn at about 0.65 of its
    /// width: large enough to stay readable (about 11 px) there.
    static let phoneFontSize = 18.0

    /// Larger text on phones. The rules only set font sizes of chart text, so repeating them once per chart on a
    /// page is harmless.
    static let style =
        "<style>@media (max-width: 600px) { svg.chart .axes, svg.chart .legend text { font-size: "
        + "\(Int(LineChart.phoneFontSize))px; } }</style>"

    /// The largest weight accepted for smoothing.
    static let maxSmoothing = 0.99

    /// The chart as an `<svg>` element.
    func svg() -> String {
        let plotted = plottedSeries()
        let xDomain = self.xDomain()
        let yScale = YScale(values: plotted.flatMap { $0.values }, scale: scale)
        let plotLeft = self.plotLeft(yScale)
        let plotWidth = Self.width - plotLeft - Self.plotRight
        let frame = PlotFrame(
            left: plotLeft, top: Self.plotTop, width: plotWidth, height: Self.plotHeight, x0: xDomain.lowerBound,
            x1: xDomain.upperBound, y: yScale)
        let columns = legendColumns
        let legendRows = (series.count + columns - 1) / columns
        // Exactly as tall as the legend's last row: no empty band under it.
        let height = Self.plotTop + Self.plotHeight + Self.axisSpace + Double(legendRows) * Self.legendRow
        let skipped = plotted.reduce(0) { $0 + $1.skippedBuckets }
        let summary = accessibleSummary(frame: frame, skipped: skipped)

        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(Self.format(Self.width)) "
        out += "\(Self.format(height))\" role=\"img\" aria-label=\"\(Self.escape(summary))\""
        out += " data-axis=\"\(axis.rawValue)\" data-scale=\"\(scale.rawValue)\""
        out += " data-x0=\"\(xDomain.lowerBound)\" data-x1=\"\(xDomain.upperBound)\""
        out += " data-y0=\"\(Self.number(yScale.lower))\" data-y1=\"\(Self.number(yScale.upper))\""
        out += " data-plot=\"\(Self.format(frame.left)),\(Self.format(frame.top)),"
        out += "\(Self.format(frame.width)),\(Self.format(frame.height))\""
        if let zoomURL { out += " data-zoom-url=\"\(Self.escape(zoomURL))\"" }
        if range != nil { out += " data-zoomed=\"true\"" }
        out += ">"
        out += "<title>\(Self.escape(summary))</title>"
        out += Self.style
        out += axes(frame: frame)
        // A nested viewport with the same coordinates clips the lines to the plot area without an id.
        let box =
            "\(Self.format(frame.left)) \(Self.format(frame.top)) \(Self.format(frame.width)) "
            + Self.format(frame.height)
        out += "<svg class=\"plot\" x=\"\(Self.format(frame.left))\" y=\"\(Self.format(frame.top))\""
        out += " width=\"\(Self.format(frame.width))\" height=\"\(Self.format(frame.height))\" viewBox=\"\(box)\">"
        for (index, line) in plotted.enumerated() {
            out += seriesGroup(line, index: index, frame: frame)
        }
        out += "</svg>"
        if plotted.allSatisfy({ $0.values.isEmpty }) {
            out += "<text x=\"\(Self.format(frame.left + frame.width / 2))\" y=\"\(Self.format(frame.top + 110))\""
            out += " text-anchor=\"middle\" font-size=\"14\" fill=\"#5b6475\">No values in this range</text>"
        }
        if skipped > 0 {
            out += "<text class=\"chart-note\" x=\"\(Self.format(frame.left + frame.width))\" y=\"\(Self.format(10))\""
            out += " text-anchor=\"end\" font-size=\"12\" fill=\"#a15c00\">"
            out += "Log scale: values ≤ 0 not shown (\(skipped) intervals)</text>"
        }
        out += legend(top: Self.plotTop + Self.plotHeight + Self.axisSpace, left: plotLeft, columns: columns)
        out += "</svg>"
        return out
    }

    /// The text a screen reader announces for the chart.
    private func accessibleSummary(frame: PlotFrame, skipped: Int) -> String {
        let names = series.map(\.label).joined(separator: ", ")
        var text = "\(title): \(axis.title.lowercased()) \(tickLabel(frame.x0)) to \(tickLabel(frame.x1))"
        if let range = frame.y.dataRange {
            let values = "\(Self.number(range.lowerBound)) to \(Self.number(range.upperBound))"
            text += ", \(scale == .log ? "log scale, " : "")values \(values)"
        } else {
            text += ", no values"
        }
        // Many series are summarised by their count: the legend names each, and the page stays small.
        if series.count > Self.crowdedSeries {
            text += "; \(series.count) series"
        } else if !names.isEmpty {
            text += "; series: \(names)"
        }
        if skipped > 0 { text += "; values at or below zero in \(skipped) intervals not shown on the log scale" }
        return text
    }

    /// The x range drawn: the requested range, else the extent of every series' buckets.
    func xDomain() -> ClosedRange<Int64> {
        if let range {
            return range.lowerBound == range.upperBound ? (range.lowerBound - 1)...(range.upperBound + 1) : range
        }
        var low = Int64.max
        var high = Int64.min
        for line in series {
            for bucket in line.buckets {
                low = min(low, bucket.xMin - line.xOffset)
                high = max(high, bucket.xMax - line.xOffset)
            }
        }
        if low > high { return 0...1 }
        return low == high ? (low - 1)...(high + 1) : low...high
    }

    /// Two legend columns when every label fits one at the phone font size, else one.
    /// From this many series on, a chart is crowded: three legend columns of short labels, no halos, and a
    /// summary that counts the series instead of naming them.
    static let crowdedSeries = 12
    /// The longest legend label in three columns.
    static let tinyLabel = 15

    var legendColumns: Int {
        if series.count > Self.crowdedSeries { return 3 }
        return series.allSatisfy { $0.label.count <= Self.shortLabel } ? 2 : 1
    }

    /// The room left of the plot: enough for the widest y tick label at the phone font size.
    func plotLeft(_ yScale: YScale) -> Double {
        let widest = yScale.ticks.map { yTickLabel($0).count }.max() ?? 0
        // About 0.6 em per digit, plus the 6 units between label and plot.
        let needed = (Double(widest) * Self.phoneFontSize * 0.6 + 8).rounded(.up)
        return min(max(Self.plotLeft, needed), 140)
    }

    private func legend(top: Double, left: Double, columns: Int) -> String {
        var out = "<g class=\"legend\">"
        let columnWidth = (Self.width - left) / Double(columns)
        let limit = columns == 1 ? Self.longLabel : columns == 2 ? Self.shortLabel : Self.tinyLabel
        for (index, line) in series.enumerated() {
            let x = left + Double(index % columns) * columnWidth
            let y = top + Double(index / columns) * Self.legendRow
            let shown = line.label.count > limit ? String(line.label.prefix(limit - 1)) + "…" : line.label
            out += "<g class=\"legend-item\" data-series=\"\(index)\" tabindex=\"0\" role=\"button\""
            out += " aria-pressed=\"true\" aria-label=\"Show or hide \(Self.escape(line.label))\">"
            // The full name as a tooltip only where the legend shortened it.
            if shown != line.label { out += "<title>\(Self.escape(line.label))</title>" }
            out += "<rect x=\"\(Self.format(x))\" y=\"\(Self.format(y + 5))\" width=\"14\" height=\"12\" rx=\"2\""
            out += " fill=\"\(Self.escape(line.color))\"/>"
            out += "<text x=\"\(Self.format(x + 19))\" y=\"\(Self.format(y + 16))\" font-size=\"14\" fill=\"#1d2330\">"
            out += "\(Self.escape(shown))</text></g>"
        }
        return out + "</g>"
    }
}
