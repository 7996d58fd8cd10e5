import Foundation
import LablogCore
import Testing

@testable import LablogServer

@Suite("Line charts: layout, phone text and visible ranges")
struct ChartLayoutTests {
    static func chart(labels: [String], values: [Double] = [1, 3, 2]) -> String {
        LineChart(
            title: "loss", axis: .step,
            series: labels.enumerated().map { index, label in
                ChartSeries(
                    label: label, color: ChartPalette.color(index, in: []),
                    buckets: ChartRenderingTests.buckets(values))
            }
        ).svg()
    }

    /// The numbers of every `name="…"` attribute in the text, in order.
    static func numbers(_ name: String, in text: some StringProtocol) -> [Double] {
        text.components(separatedBy: " \(name)=\"").dropFirst().compactMap { part in
            Double(part.prefix { $0 != "\"" })
        }
    }

    static func viewBoxHeight(_ svg: String) -> Double? {
        guard let start = svg.range(of: "viewBox=\"0 0 ") else { return nil }
        return Double(svg[start.upperBound...].prefix { $0 != "\"" }.split(separator: " ").last ?? "")
    }

    static func legend(_ svg: String) -> Substring {
        guard let start = svg.range(of: "<g class=\"legend\">") else { return "" }
        return svg[start.lowerBound...]
    }

    @Test("The chart is exactly as tall as its legend: no empty band under it, however many rows")
    func heightFitsTheLegend() throws {
        for count in [1, 2, 3, 6] {
            let svg = Self.chart(labels: (0..<count).map { "run-\($0)" })
            let height = try #require(Self.viewBoxHeight(svg))
            let legend = Self.legend(svg)
            let baselines = Self.numbers("y", in: legend).enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            let lowest = try #require(baselines.max())
            // The last row's text baseline sits within a descender's reach of the bottom edge.
            #expect(height > lowest && height - lowest <= 10, "height \(height), last legend baseline \(lowest)")
            let rows = (count + 1) / 2
            #expect(height == LineChart.plotTop + LineChart.plotHeight + LineChart.axisSpace + Double(rows) * 24)
        }
    }

    @Test("On narrow screens the axis and legend text is drawn larger, so it stays readable at phone widths")
    func phoneText() {
        let svg = Self.chart(labels: ["loss"])
        #expect(svg.contains("<style>@media (max-width: 600px)"))
        #expect(
            svg.contains("svg.chart .axes, svg.chart .legend text { font-size: \(Int(LineChart.phoneFontSize))px; }"))
        // At 360 px the chart is about 313 px wide: the phone size in units of a 480-unit-wide chart are over 11 px.
        #expect(LineChart.phoneFontSize * 313 / LineChart.width >= 11)
    }

    @Test("Wide y tick labels move the plot right so they fit at the phone font size")
    func wideTickLabels() throws {
        let narrow = Self.chart(labels: ["loss"])
        #expect(narrow.contains("data-plot=\"56,12,412,220\""))
        let wide = Self.chart(labels: ["loss"], values: [100_000, 250_000, 150_000])
        let plot = try #require(wide.range(of: "data-plot=\"")).upperBound
        let left = try #require(Double(wide[plot...].prefix { $0 != "," }))
        // "250000" is six digits: about 6 × 0.6 em at the phone size, plus the gap.
        #expect(left >= 6 * 0.6 * LineChart.phoneFontSize + 6)
        #expect(wide.contains("<path class=\"mean\" d=\"M\(LineChart.format(left)) "))
    }

    @Test("Long legend labels put the legend in one column; short ones share two")
    func legendColumns() {
        let short = Self.legend(Self.chart(labels: ["a", "b"]))
        #expect(Set(Self.numbers("x", in: short).enumerated().filter { $0.offset % 2 == 0 }.map(\.element)).count == 2)
        let long = "bert-base-sst2-finetune-lr-3e-5-seed-42-warmup"
        let oneColumn = Self.legend(Self.chart(labels: [long, "b"]))
        #expect(
            Set(Self.numbers("x", in: oneColumn).enumerated().filter { $0.offset % 2 == 0 }.map(\.element)).count == 1)
        #expect(oneColumn.contains(">\(long.prefix(LineChart.longLabel - 1))…</text>"))
        #expect(oneColumn.contains("<title>\(long)</title>"))
    }

    @Test("The min–max range is drawn in the series colour at a visible opacity, under a haloed mean line")
    func visibleRange() throws {
        let svg = Self.chart(labels: ["loss"])
        let range = try #require(svg.range(of: "<path class=\"range\""))
        let halo = try #require(svg.range(of: "<path class=\"halo\""))
        let mean = try #require(svg.range(of: "<path class=\"mean\""))
        #expect(range.lowerBound < halo.lowerBound && halo.lowerBound < mean.lowerBound)
        let rangePath = svg[range.lowerBound...].prefix { $0 != "/" }
        #expect(rangePath.contains("stroke=\"#4e79a7\""))
        let opacity = try #require(Self.numbers("stroke-opacity", in: rangePath).first)
        #expect(opacity >= 0.5)
        // The range and the mean line are not faded as a whole.
        #expect(!svg[mean.lowerBound...].prefix { $0 != ">" }.contains("opacity"))
    }
}
