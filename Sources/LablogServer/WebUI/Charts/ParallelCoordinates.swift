/// A parallel-coordinates chart drawn as SVG: one vertical axis per param plus a metric as the last axis, and one
/// polyline per run through its values, coloured by the metric (low purple to high yellow). Runs without the
/// metric are grey; a missing param value leaves that axis out of the run's line. Every user string is escaped.
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

    static let height = 380.0
    static let top = 44.0
    static let bottom = 24.0
    static let side = 70.0
    static let axisGap = 130.0

    /// The chart as an `<svg>` element.
    func svg() -> String {
        let axisCount = axisTitles.count
        let width = max(480, Self.side * 2 + Self.axisGap * Double(max(0, axisCount - 1)))
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
        // Never wider than drawn: scaled up, the labels would grow with the page.
        out += " style=\"max-width: \(ChartMarkup.format(width))px\""
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
            out += axisMarkup(axis, title: axisTitles[index], x: x(index), plotHeight: plotHeight)
        }
        return out + "</svg>"
    }

    private func axisMarkup(_ axis: ValueAxis, title: String, x: Double, plotHeight: Double) -> String {
        let left = ChartMarkup.format(x)
        var out = "<g class=\"axis\" data-kind=\"\(axis.isNumeric ? "numeric" : "categorical")\">"
        out += "<line x1=\"\(left)\" x2=\"\(left)\" y1=\"\(ChartMarkup.format(Self.top))\""
        out += " y2=\"\(ChartMarkup.format(Self.top + plotHeight))\" stroke=\"#1d2330\"/>"
        out += "<text class=\"axis-title\" x=\"\(left)\" y=\"18\" text-anchor=\"middle\" font-size=\"12\""
        out += " font-weight=\"600\" fill=\"#1d2330\">\(ChartMarkup.label(title, limit: 18))"
        out += "<title>\(HTMLEscaping.escape(title))</title></text>"
        for tick in axis.ticks() {
            let tickY = ChartMarkup.format(Self.top + plotHeight * (1 - tick.position))
            out += "<line x1=\"\(ChartMarkup.format(x - 4))\" x2=\"\(left)\" y1=\"\(tickY)\" y2=\"\(tickY)\""
            out += " stroke=\"#1d2330\"/>"
            out += "<text x=\"\(ChartMarkup.format(x - 6))\" y=\"\(tickY)\" dy=\"0.35em\" text-anchor=\"end\""
            out += " font-size=\"10\" fill=\"#5b6475\" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\">"
            out += "\(ChartMarkup.label(tick.label, limit: 12))</text>"
        }
        return out + "</g>"
    }
}
