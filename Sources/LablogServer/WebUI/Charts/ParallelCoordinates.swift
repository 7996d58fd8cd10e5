/// A parallel-coordinates chart drawn as SVG: one vertical axis per param plus a metric as the last axis, and one
/// polyline per run through its values, coloured by the metric (low purple to high yellow). Runs without the
/// metric are grey; a missing param value leaves that axis out of the run's line. Every user string is escaped.
///
/// The chart scales to the width of the page. Its text is sized for the width it is drawn at (one user unit is
/// one pixel at full size); narrow screens enlarge the text through the page's style rules (`pc-tick`,
/// `pc-title`, `pc-odd` classes), which also stagger the axis titles over two rows so they do not collide.
struct ParallelCoordinates: Sendable {
    /// One run's line.
    struct Line: Sendable {
        var label: String
        /// One value per axis, the metric last; nil when missing.
        var values: [String?]
    }

    /// The axis titles: the params, then the metric.
    var axisTitles: [String]
    var lines: [Line]

    static let height = 420.0
    /// Room for two rows of axis titles at the enlarged phone text size.
    static let top = 90.0
    static let bottom = 30.0
    /// Room for the tick labels left of the first axis and right of the last.
    static let side = 100.0
    static let axisGap = 150.0
    /// The smallest scale the chart is drawn at before it scrolls sideways instead: below it the enlarged phone
    /// text would no longer fit between the axes.
    static let minimumScale = 0.42
    /// The narrowest content width the pages are laid out for (a 360 px phone less the page padding).
    static let phoneWidth = 340.0
    /// Characters of an axis title that are shown.
    static let titleLimit = 18

    /// The drawing's width in user units: the axes at a fixed spacing, or at least 640.
    var width: Double { max(640, Self.side * 2 + Self.axisGap * Double(max(0, axisTitles.count - 1))) }

    /// The narrowest the chart is drawn; wider than a phone, it scrolls inside its box.
    var minimumWidth: Double { (width * Self.minimumScale).rounded(.up) }

    /// True when the chart does not fit a phone screen and scrolls sideways there.
    var scrolls: Bool { minimumWidth > Self.phoneWidth }

    /// The chart as an `<svg>` element.
    func svg() -> String {
        let axisCount = axisTitles.count
        let width = self.width
        let plotHeight = Self.height - Self.top - Self.bottom
        let axes = axisTitles.indices.map { index in ValueAxis(values: lines.map { $0.values[index] }) }
        let metricAxis = axes.last
        func x(_ index: Int) -> Double {
            axisCount == 1 ? width / 2 : Self.side + Double(index) * (width - 2 * Self.side) / Double(axisCount - 1)
        }
        func y(_ position: Double) -> Double { Self.top + plotHeight * (1 - position) }

        let label = "Parallel coordinates of \(axisTitles.joined(separator: ", ")) for \(lines.count) runs"
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart parallel\" viewBox=\"0 0 "
        out += "\(ChartMarkup.format(width)) \(ChartMarkup.format(Self.height))\" role=\"img\""
        // Never wider than drawn, so the text stays at its designed size on wide screens; never narrower than
        // the smallest readable scale.
        out += " style=\"max-width: \(ChartMarkup.format(width))px; min-width: \(ChartMarkup.format(minimumWidth))px\""
        out += " aria-label=\"\(HTMLEscaping.escape(label))\"><title>\(HTMLEscaping.escape(label))</title>"
        out += "<g class=\"lines\" fill=\"none\" stroke-width=\"1.5\" stroke-opacity=\"0.8\">"
        for line in lines {
            var points: [String] = []
            for (index, axis) in axes.enumerated() {
                guard let value = line.values[index], let position = axis.position(of: value) else { continue }
                points.append("\(ChartMarkup.format(x(index))),\(ChartMarkup.format(y(position)))")
            }
            let metricValue = line.values.last.flatMap { $0 }
            let color = metricValue.flatMap { metricAxis?.position(of: $0) }.map(ChartMarkup.ramp) ?? "#9aa0a6"
            let detail = zip(axisTitles, line.values).map { "\($0) = \($1 ?? "–")" }.joined(separator: ", ")
            out += "<polyline class=\"run-line\" stroke=\"\(color)\" points=\"\(points.joined(separator: " "))\">"
            out += "<title>\(HTMLEscaping.escape(line.label + ": " + detail))</title></polyline>"
        }
        out += "</g>"
        for (index, axis) in axes.enumerated() {
            out += axisMarkup(axis, index: index, x: x(index), plotHeight: plotHeight)
        }
        return out + "</svg>"
    }

    private func axisMarkup(_ axis: ValueAxis, index: Int, x: Double, plotHeight: Double) -> String {
        let title = axisTitles[index]
        let isLast = index == axisTitles.count - 1 && index > 0
        let left = ChartMarkup.format(x)
        var out = "<g class=\"axis\" data-kind=\"\(axis.isNumeric ? "numeric" : "categorical")\">"
        out += "<line x1=\"\(left)\" x2=\"\(left)\" y1=\"\(ChartMarkup.format(Self.top))\""
        out += " y2=\"\(ChartMarkup.format(Self.top + plotHeight))\" stroke=\"#1d2330\"/>"
        out += titleMarkup(title, index: index, x: x)
        // The last axis has nothing to its right: its labels go there, clear of the lines arriving from the left.
        let (tickEnd, textX, anchor) = isLast ? (x + 5, x + 8, "start") : (x - 5, x - 8, "end")
        for tick in axis.ticks() {
            let tickY = ChartMarkup.format(Self.top + plotHeight * (1 - tick.position))
            out += "<line x1=\"\(ChartMarkup.format(tickEnd))\" x2=\"\(left)\" y1=\"\(tickY)\" y2=\"\(tickY)\""
            out += " stroke=\"#1d2330\"/>"
            // A white outline painted under the glyphs keeps labels readable where lines cross them.
            out += "<text class=\"pc-tick\" x=\"\(ChartMarkup.format(textX))\" y=\"\(tickY)\" dy=\"0.35em\""
            out += " text-anchor=\"\(anchor)\" font-size=\"13\" fill=\"#3d4557\" paint-order=\"stroke\""
            out += " stroke=\"#fff\" stroke-width=\"4\" stroke-linejoin=\"round\">"
            out += "\(ChartMarkup.label(tick.label, limit: 12))</text>"
        }
        return out + "</g>"
    }

    /// An axis title above its axis; a first or last title too long to centre within the margin is aligned to
    /// run inwards. Odd-numbered titles carry `pc-odd` so narrow screens can lift them to a second row.
    private func titleMarkup(_ title: String, index: Int, x: Double) -> String {
        let shown = min(title.count, Self.titleLimit)
        // Estimated at the enlarged phone size (30 units, about 0.6 em per character).
        let fitsCentred = Double(shown) * 0.6 * 30 / 2 <= Self.side - 10
        var (titleX, anchor) = (x, "middle")
        if axisTitles.count > 1, !fitsCentred {
            if index == 0 { (titleX, anchor) = (x - 20, "start") }
            if index == axisTitles.count - 1 { (titleX, anchor) = (x + 20, "end") }
        }
        var out = "<text class=\"pc-title\(index % 2 == 1 ? " pc-odd" : "")\" x=\"\(ChartMarkup.format(titleX))\""
        out += " y=\"\(ChartMarkup.format(Self.top - 16))\" text-anchor=\"\(anchor)\" font-size=\"14\""
        // No outline: the axis group's stroke must not blur the title.
        out +=
            " font-weight=\"600\" fill=\"#1d2330\" stroke=\"none\">\(ChartMarkup.label(title, limit: Self.titleLimit))"
        return out + "<title>\(HTMLEscaping.escape(title))</title></text>"
    }
}
