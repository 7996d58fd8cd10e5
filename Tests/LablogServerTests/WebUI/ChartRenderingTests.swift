import Foundation
import LablogCore
import LablogSQLite
import Testing

@testable import LablogServer

@Suite("Line charts: SVG from metric buckets")
struct ChartRenderingTests {
    /// One bucket per value, at steps 0, 1, 2, ...
    static func buckets(_ values: [Double]) -> [MetricBucket] {
        values.enumerated().map { index, value in
            MetricBucket(
                xMin: Int64(index), xMax: Int64(index), minValue: value, maxValue: value, meanValue: value, count: 1)
        }
    }

    static func chart(_ values: [Double], scale: ChartScale = .linear, smoothing: Double = 0) -> String {
        LineChart(
            title: "loss", axis: .step, scale: scale, smoothing: smoothing,
            series: [ChartSeries(label: "loss", color: "#4e79a7", buckets: buckets(values))]
        ).svg()
    }

    @Test("A spike among 100,000 points survives the reduction to 200 buckets")
    func spikeSurvives() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.migrate()
        let experiment = try await store.createExperiment(NewExperiment(name: "spikes"))
        let run = try await store.createRun(NewRun(experimentID: experiment.id))
        let spikeStep: Int64 = 54_321
        let points = (0..<100_000).map { step in
            let value = step == spikeStep ? 1000 : 0.5 + 0.4 * sin(Double(step) / 50)
            return MetricPoint(key: "loss", value: value, step: Int64(step), timestamp: 1_000 + Int64(step))
        }
        try await store.logBatch(runID: run.id, metrics: points, params: [], tags: [])
        let buckets = try await store.metricBuckets(
            runID: run.id, key: "loss", axis: .step, from: nil, to: nil, buckets: 200)
        #expect(buckets.count <= 200)
        let svg = LineChart(
            title: "loss", axis: .step, series: [ChartSeries(label: "loss", color: "#4e79a7", buckets: buckets)]
        ).svg()
        let drawn = try ChartSVG(svg).series[0]
        let spiky = drawn.filter { $0.max == 1000 }
        #expect(spiky.count == 1)
        #expect(spiky.first.map { $0.x0 <= spikeStep && spikeStep <= $0.x1 } == true)
        #expect(svg.contains("data-x0=\"0\" data-x1=\"99999\""))
        // Exactly one min–max segment reaches the top of the plot (y 12 to 232); every other one stays low.
        let tops = Self.segmentTops(svg)
        #expect(tops.count == buckets.count)
        #expect(tops.filter { $0 < 30 }.count == 1)
        #expect(tops.filter { $0 < 200 }.count == 1)
    }

    /// The upper ends (SVG y) of the min–max segments, from `M x yV y` commands of the range path.
    static func segmentTops(_ svg: String) -> [Double] {
        guard let start = svg.range(of: "<path class=\"range\" d=\"") else { return [] }
        let path = svg[start.upperBound...].prefix { $0 != "\"" }
        return path.split(separator: "M").compactMap { segment in
            segment.split(separator: "V").last.flatMap { Double($0) }
        }
    }

    @Test("The whole chart for a small series: axes, mean line, range segments, legend, accessible title")
    func shape() throws {
        let svg = Self.chart([1, 3, 2])
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 480 "))
        #expect(svg.contains("role=\"img\" aria-label=\"loss: step 0 to 2, values 1 to 3; series: loss\""))
        #expect(svg.contains("<title>loss: step 0 to 2, values 1 to 3; series: loss</title>"))
        #expect(svg.contains("<path class=\"mean\" d=\"M56 "))
        #expect(svg.contains("<path class=\"range\""))
        #expect(svg.contains("<g class=\"legend-item\" data-series=\"0\" tabindex=\"0\" role=\"button\""))
        #expect(svg.contains(">Step</text>"))
        #expect(!svg.contains("class=\"smoothed\""))
        let drawn = try ChartSVG(svg)
        #expect(drawn.series[0].map(\.mean) == [1, 3, 2])
        #expect(svg.hasSuffix("</svg>"))
    }

    @Test("Log scale: decade ticks, and values at or below zero are left out and announced")
    func logScale() throws {
        let svg = Self.chart([-1, 0, 1, 10, 100], scale: .log)
        #expect(svg.contains("data-scale=\"log\""))
        #expect(svg.contains("Log scale: values ≤ 0 not shown (2 intervals)"))
        for tick in [">1</text>", ">10</text>", ">100</text>"] {
            #expect(svg.contains(tick), "missing tick \(tick)")
        }
        #expect(svg.contains("Step · log scale"))
        // The mean line starts at the first positive value (x of step 2 of 0...4 is the middle of the plot).
        #expect(svg.contains("<path class=\"mean\" d=\"M262 "))
        let linear = Self.chart([-1, 0, 1, 10, 100])
        #expect(!linear.contains("not shown"))
    }

    @Test("Smoothing draws a debiased moving average over a faint raw line")
    func smoothing() throws {
        let svg = Self.chart([0, 10, 10], smoothing: 0.5)
        #expect(svg.contains("<path class=\"smoothed\""))
        #expect(svg.contains("stroke-opacity=\"0.3\"/>"))
        let smoothed = try ChartSVG(svg).series[0].map(\.smoothed)
        // EMA with weight 0.5, divided by 1 - 0.5^n: 0, 5 / 0.75, 7.5 / 0.875.
        #expect(smoothed == [0, 6.66667, 8.57143])
        let constant = try ChartSVG(Self.chart([5, 5, 5], smoothing: 0.9)).series[0].map(\.smoothed)
        #expect(constant == [5, 5, 5])
    }

    @Test("Labels and titles are escaped")
    func escaping() {
        let payload = "<script>alert(1)</script>\"'&<img src=x onerror=alert(1)>"
        let svg = LineChart(
            title: payload, axis: .relativeTime,
            series: [ChartSeries(label: payload, color: "\"><script>", buckets: Self.buckets([1, 2]))]
        ).svg()
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("<img"))
        #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(svg.contains("stroke=\"&quot;&gt;&lt;script&gt;\""))
    }

    @Test("Time axes label wall-clock times in UTC and durations since the start")
    func timeAxes() {
        let start: Int64 = 1_764_000_000_000
        let buckets = [0, 90_000, 180_000].map {
            MetricBucket(xMin: start + $0, xMax: start + $0, minValue: 1, maxValue: 1, meanValue: 1, count: 1)
        }
        let relative = LineChart(
            title: "m", axis: .relativeTime,
            series: [ChartSeries(label: "m", color: "#000", buckets: buckets, xOffset: start)]
        ).svg()
        #expect(relative.contains("data-x0=\"0\" data-x1=\"180000\""))
        #expect(relative.contains(">1m 00s</text>"))
        #expect(relative.contains(">Time since start</text>"))
        let wall = LineChart(
            title: "m", axis: .wallTime, series: [ChartSeries(label: "m", color: "#000", buckets: buckets)]
        ).svg()
        #expect(wall.contains(">16:00:00</text>"))
        #expect(wall.contains(">Time (UTC)</text>"))
    }
}

/// The per-series data a chart carries for the script, parsed back.
struct ChartSVG {
    struct Bucket: Equatable {
        var x0: Int64
        var x1: Int64
        var min: Double?
        var max: Double?
        var mean: Double?
        var smoothed: Double?
    }

    var series: [[Bucket]]

    init(_ svg: String) throws {
        series = []
        var rest = Substring(svg)
        while let range = rest.range(of: "data-points=\"") {
            rest = rest[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            let text = rest[..<end]
            series.append(
                text.isEmpty
                    ? []
                    : text.split(separator: ";").map { item in
                        let fields = item.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                        return Bucket(
                            x0: Int64(fields[0]) ?? -1, x1: Int64(fields[1]) ?? -1, min: Double(fields[2]),
                            max: Double(fields[3]), mean: Double(fields[4]),
                            smoothed: fields.count > 5 ? Double(fields[5]) : nil)
                    })
            rest = rest[end...]
        }
    }
}
