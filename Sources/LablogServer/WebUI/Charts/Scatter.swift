/// A scatter chart drawn as SVG: one point per run, a numeric y, and an x that is numeric or categorical
/// (each category an evenly spaced band, points at its centre). Every user string is escaped.
///
/// The chart scales to the width of the page; narrow screens enlarge its text through the page's style rules
/// (`sc-tick`, `sc-title` classes), and the margins leave room for the enlarged labels.
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

    static let width = 720.0
    static let height = 440.0
    static let left = 140.0
    static let right = 30.0
    static let top = 20.0
    static let bottom = 100.0
    /// The narrowest the chart is drawn (a 360 px phone's content width fits it).
    static let minimumWidth = 324.0

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
        out += " style=\"max-width: \(ChartMarkup.format(Self.width))px;"
        out += " min-width: \(ChartMarkup.format(Self.minimumWidth))px\""
        out += " aria-label=\"\(HTMLEscaping.escape(label))\"><title>\(HTMLEscaping.escape(label))</title>"
        let bottomY = ChartMarkup.format(Self.top + plotHeight)
        out += "<g class=\"axis x-axis\" data-kind=\"\(xAxis.isNumeric ? "numeric" : "categorical")\">"
        out += "<line x1=\"\(ChartMarkup.format(Self.left))\" x2=\"\(ChartMarkup.format(Self.left + plotWidth))\""
        out += " y1=\"\(bottomY)\" y2=\"\(bottomY)\" stroke=\"#1d2330\"/>"
        for tick in xAxis.ticks(maxLabels: 6) {
            let tickX = ChartMarkup.format(x(tick.position))
            out +=
                "<line x1=\"\(tickX)\" x2=\"\(tickX)\" y1=\"\(bottomY)\""
                + " y2=\"\(ChartMarkup.format(Self.top + plotHeight + 4))\""
            out += " stroke=\"#1d2330\"/><text class=\"sc-tick\" x=\"\(tickX)\""
            out += " y=\"\(ChartMarkup.format(Self.top + plotHeight + 8))\" dy=\"1em\" text-anchor=\"middle\""
            out +=
                " font-size=\"13\" fill=\"#3d4557\" stroke=\"none\">\(ChartMarkup.label(tick.label, limit: 10))</text>"
        }
        // Titles and labels carry no outline: the axis group's stroke must not blur them.
        out += "<text class=\"axis-title sc-title\" x=\"\(ChartMarkup.format(Self.left + plotWidth / 2))\""
        out += " y=\"\(ChartMarkup.format(Self.height - 12))\" text-anchor=\"middle\" font-size=\"14\""
        out +=
            " font-weight=\"600\" fill=\"#1d2330\" stroke=\"none\">\(ChartMarkup.label(xTitle, limit: 60))</text></g>"
        out += "<g class=\"axis y-axis\" data-kind=\"numeric\">"
        out += "<line x1=\"\(ChartMarkup.format(Self.left))\" x2=\"\(ChartMarkup.format(Self.left))\""
        out += " y1=\"\(ChartMarkup.format(Self.top))\" y2=\"\(bottomY)\" stroke=\"#1d2330\"/>"
        for tick in yAxis.ticks() {
            let tickY = ChartMarkup.format(y(tick.position))
            out += "<line x1=\"\(ChartMarkup.format(Self.left - 4))\" x2=\"\(ChartMarkup.format(Self.left))\""
            out += " y1=\"\(tickY)\" y2=\"\(tickY)\" stroke=\"#1d2330\"/>"
            out += "<text class=\"sc-tick\" x=\"\(ChartMarkup.format(Self.left - 8))\" y=\"\(tickY)\" dy=\"0.35em\""
            out += " text-anchor=\"end\" font-size=\"13\" fill=\"#3d4557\" stroke=\"none\">"
            out += "\(ChartMarkup.label(tick.label, limit: 10))</text>"
        }
        let middle = ChartMarkup.format(Self.top + plotHeight / 2)
        out += "<text class=\"axis-title sc-title\" transform=\"translate(6 \(middle))"
        out += " rotate(-90)\" dy=\"1em\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\" fill=\"#1d2330\""
        out += " stroke=\"none\">"
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
