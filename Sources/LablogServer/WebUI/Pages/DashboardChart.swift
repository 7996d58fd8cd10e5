import LablogCore

/// The dashboard's runs-per-day bar chart as inline SVG.
///
/// Days are placed on a continuous calendar axis, so a week without runs shows as a gap rather than vanishing.
/// Every text written is escaped with ``HTMLEscaping/escape(_:)``; each bar carries a `<title>` with its exact
/// numbers, and the page also lists them in a table for screen readers and readers without graphics.
///
/// The chart comes in two shapes: a wide one for desktop cards and a narrow one for phones (whose labels the style
/// sheet draws larger). The page includes both and the style sheet shows the one that fits the screen, since an SVG
/// scales its text with its width.
enum DashboardChart {
    /// The drawing size of a chart, in SVG user units.
    enum Shape: String {
        case wide, narrow

        var width: Double { self == .wide ? 1200 : 600 }
        var height: Double { self == .wide ? 300 : 240 }
    }

    private static let left = 60.0
    private static let right = 12.0
    private static let top = 12.0
    private static let bottom = 48.0
    private static let millisecondsPerDay: Int64 = 86_400_000

    /// The chart of `days` (oldest first), or an empty string when there are none.
    static func runsPerDay(_ days: [DayCount], shape: Shape = .narrow) -> String {
        let width = shape.width
        let height = shape.height
        let dated = days.compactMap { day in WireTime.parse(day.day).map { (day, $0 / millisecondsPerDay) } }
        guard let first = dated.first?.1, let last = dated.last?.1 else { return "" }
        let span = Double(max(last - first + 1, 1))
        let largest = max(dated.map(\.0.count).max() ?? 0, 1)
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let slot = plotWidth / span
        let barWidth = max(slot * 0.8, 0.5)
        let total = days.reduce(0) { $0 + $1.count }
        let label = "Runs started per day, \(days.first?.day ?? "") to \(days.last?.day ?? ""): \(total) runs"
        var svg = """
            <svg class="chart runs-chart runs-chart-\(shape.rawValue)" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" \
            aria-label="\(HTMLEscaping.escape(label))">
            """
        // Y axis: grid lines and labels at 0, half and the largest count.
        for value in Set([0, largest / 2, largest]).sorted() {
            let y = top + plotHeight * (1 - Double(value) / Double(largest))
            svg +=
                "<line class=\"grid\" x1=\"\(ChartMarkup.format(left))\" x2=\"\(ChartMarkup.format(width - right))\" y1=\"\(ChartMarkup.format(y))\" "
            svg += "y2=\"\(ChartMarkup.format(y))\"/>"
            svg +=
                "<text class=\"tick\" x=\"\(ChartMarkup.format(left - 6))\" y=\"\(ChartMarkup.format(y + 4))\" text-anchor=\"end\">\(value)</text>"
        }
        for (day, index) in dated {
            let barHeight = plotHeight * Double(day.count) / Double(largest)
            let x = left + Double(index - first) * slot + (slot - barWidth) / 2
            let y = top + plotHeight - barHeight
            let title = HTMLEscaping.escape("\(day.day): \(day.count) \(day.count == 1 ? "run" : "runs")")
            svg +=
                "<rect class=\"bar\" x=\"\(ChartMarkup.format(x))\" y=\"\(ChartMarkup.format(y))\" width=\"\(ChartMarkup.format(barWidth))\" "
            svg += "height=\"\(ChartMarkup.format(barHeight))\"><title>\(title)</title></rect>"
        }
        // X axis: the first and last day, and the middle one when the range is long enough to fit it.
        var ticks = [(first, "start"), (last, "end")]
        if last - first >= 4 { ticks.insert(((first + last) / 2, "middle"), at: 1) }
        if last == first { ticks = [(first, "middle")] }
        for (dayIndex, anchor) in ticks {
            let x =
                anchor == "start"
                ? left : anchor == "end" ? width - right : left + (Double(dayIndex - first) + 0.5) * slot
            let text = HTMLEscaping.escape(String(WireTime.format(dayIndex * millisecondsPerDay).prefix(10)))
            svg +=
                "<text class=\"tick\" x=\"\(ChartMarkup.format(x))\" y=\"\(ChartMarkup.format(height - bottom + 22))\" "
            svg += "text-anchor=\"\(anchor)\">\(text)</text>"
        }
        svg += "<line class=\"axis\" x1=\"\(ChartMarkup.format(left))\" x2=\"\(ChartMarkup.format(width - right))\" "
        svg += "y1=\"\(ChartMarkup.format(top + plotHeight))\" y2=\"\(ChartMarkup.format(top + plotHeight))\"/>"
        svg +=
            "<text class=\"tick\" x=\"\(ChartMarkup.format(left))\" y=\"\(ChartMarkup.format(height - 4))\">Day (UTC)</text>"
        svg += "</svg>"
        return svg
    }
}
