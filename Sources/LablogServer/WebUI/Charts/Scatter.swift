/// A scatter chart drawn as SVG: one point per run, a numeric y, and an x that is numeric or categorical
/// (each category an evenly spaced band, points at its centre). Every user string is escaped.
struct Scatter: Sendable {
    /// One run's point.
    struct Point: Sendable {
        var label: String
        var x: String
        var y: Double
        var color: String
    }

    var xTitle: String
    var yTitle: String
    var points: [Point]

    static let width = 640.0
    static let height = 360.0
    static let left = 70.0
    static let right = 20.0
    static let top = 16.0
    static let bottom = 64.0

    /// The chart as an `<svg>` element.
    func svg() -> String {
        let xAxis = ValueAxis(values: points.map(\.x))
        let yAxis = ValueAxis(values: points.map { String($0.y) })
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        func x(_ position: Double) -> Double { Self.left + plotWidth * (0.04 + 0.92 * position) }
        func y(_ position: Double) -> Double { Self.top + plotHeight * (1 - (0.04 + 0.92 * position)) }

        let label = "Scatter of \(yTitle) against \(xTitle) for \(points.count) runs"
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart scatter\" viewBox=\"0 0 "
        out += "\(ChartMarkup.format(Self.width)) \(ChartMarkup.format(Self.height))\" role=\"img\""
        // Never wider than drawn: scaled up, the labels would grow with the page.
        out += " style=\"max-width: \(ChartMarkup.format(Self.width))px\""
        out += " aria-label=\"\(HTMLEscaping.escape(label))\"><title>\(HTMLEscaping.escape(label))</title>"
        let bottomY = ChartMarkup.format(Self.top + plotHeight)
        out += "<g class=\"axis x-axis\" data-kind=\"\(xAxis.isNumeric ? "numeric" : "categorical")\">"
        out += "<line x1=\"\(ChartMarkup.format(Self.left))\" x2=\"\(ChartMarkup.format(Self.left + plotWidth))\""
        out += " y1=\"\(bottomY)\" y2=\"\(bottomY)\" stroke=\"#1d2330\"/>"
        for tick in xAxis.ticks(maxLabels: 8) {
            let tickX = ChartMarkup.format(x(tick.position))
            out +=
                "<line x1=\"\(tickX)\" x2=\"\(tickX)\" y1=\"\(bottomY)\""
                + " y2=\"\(ChartMarkup.format(Self.top + plotHeight + 4))\""
            out += " stroke=\"#1d2330\"/><text x=\"\(tickX)\" y=\"\(ChartMarkup.format(Self.top + plotHeight + 16))\""
            out +=
                " text-anchor=\"middle\" font-size=\"10\" fill=\"#5b6475\">\(ChartMarkup.label(tick.label, limit: 12))"
            out += "</text>"
        }
        out += "<text class=\"axis-title\" x=\"\(ChartMarkup.format(Self.left + plotWidth / 2))\""
        out += " y=\"\(ChartMarkup.format(Self.height - 12))\" text-anchor=\"middle\" font-size=\"12\""
        out += " fill=\"#1d2330\">\(ChartMarkup.label(xTitle, limit: 60))</text></g>"
        out += "<g class=\"axis y-axis\" data-kind=\"numeric\">"
        out += "<line x1=\"\(ChartMarkup.format(Self.left))\" x2=\"\(ChartMarkup.format(Self.left))\""
        out += " y1=\"\(ChartMarkup.format(Self.top))\" y2=\"\(bottomY)\" stroke=\"#1d2330\"/>"
        for tick in yAxis.ticks() {
            let tickY = ChartMarkup.format(y(tick.position))
            out += "<line x1=\"\(ChartMarkup.format(Self.left - 4))\" x2=\"\(ChartMarkup.format(Self.left))\""
            out += " y1=\"\(tickY)\" y2=\"\(tickY)\" stroke=\"#1d2330\"/>"
            out += "<text x=\"\(ChartMarkup.format(Self.left - 6))\" y=\"\(tickY)\" dy=\"0.35em\" text-anchor=\"end\""
            out += " font-size=\"10\" fill=\"#5b6475\">\(ChartMarkup.label(tick.label, limit: 10))</text>"
        }
        out += "<text class=\"axis-title\" transform=\"translate(14 \(ChartMarkup.format(Self.top + plotHeight / 2)))"
        out += " rotate(-90)\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1d2330\">"
        out += "\(ChartMarkup.label(yTitle, limit: 40))</text></g>"
        out += "<g class=\"points\">"
        for point in points {
            guard let xPosition = xAxis.position(of: point.x), let yPosition = yAxis.position(of: String(point.y))
            else { continue }
            out += "<circle class=\"run-point\" cx=\"\(ChartMarkup.format(x(xPosition)))\""
            out += " cy=\"\(ChartMarkup.format(y(yPosition)))\" r=\"5\" fill=\"\(HTMLEscaping.escape(point.color))\""
            out += " fill-opacity=\"0.85\" stroke=\"#fff\"><title>"
            out += HTMLEscaping.escape("\(point.label): \(xTitle) = \(point.x), \(yTitle) = ")
            out += "\(NumberFormatting.significant(point.y))</title></circle>"
        }
        return out + "</g></svg>"
    }
}
