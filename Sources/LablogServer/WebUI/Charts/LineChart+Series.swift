import Foundation
import LablogCore

/// A series prepared for drawing: per bucket its x centre and its values on the chart's y scale.
struct PlottedSeries {
    struct Point {
        var x0: Int64
        var x1: Int64
        /// Values on the y scale (log10 of the value on a log chart); nil when not drawable.
        var low: Double?
        var high: Double?
        var mean: Double?
        /// The EMA of the means, when smoothing.
        var smoothed: Double?
        /// The untransformed values, for the read-out.
        var raw: MetricBucket
    }

    var points: [Point]
    /// How many buckets hold values that could not be drawn (≤ 0 on a log scale).
    var skippedBuckets: Int

    /// Every drawable value, for the y domain.
    var values: [Double] { points.flatMap { [$0.low, $0.high, $0.mean].compactMap { $0 } } }
}

/// The plot area and the mapping from data to SVG coordinates.
struct PlotFrame {
    var left: Double
    var top: Double
    var width: Double
    var height: Double
    var x0: Int64
    var x1: Int64
    var y: YScale

    func x(_ value: Double) -> Double {
        left + (value - Double(x0)) / Double(x1 - x0) * width
    }

    func y(_ value: Double) -> Double {
        top + height - (value - y.lower) / (y.upper - y.lower) * height
    }
}

/// The y domain, on the chart's scale (log10 units on a log chart), widened to nice tick values.
struct YScale {
    var lower: Double
    var upper: Double
    var ticks: [Double]
    var scale: ChartScale
    /// The smallest and largest value drawn, in data units (nil without data), for the accessible summary.
    var dataRange: ClosedRange<Double>?

    init(values: [Double], scale: ChartScale) {
        self.scale = scale
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if let min = values.min(), let max = values.max() {
            dataRange = scale == .log ? pow(10, min)...pow(10, max) : min...max
        }
        if low == high {
            let pad = scale == .log ? 1 : max(abs(low) * 0.1, 1)
            low -= pad
            high += pad
        }
        if scale == .log {
            lower = low.rounded(.down)
            upper = high.rounded(.up)
            let decades = Int(upper - lower)
            let stride = max(1, decades / 6)
            ticks = Swift.stride(from: lower, through: upper, by: Double(stride)).map { $0 }
        } else {
            // A little air above and below the data, but no wider: widening to whole tick steps can waste most
            // of the height (data in 0...3 drawn on -10...40).
            let pad = (high - low) * 0.04
            lower = low - pad
            upper = high + pad
            let step = NiceNumbers.step(span: upper - lower, count: 5)
            let first = (lower / step).rounded(.up) * step
            ticks = Swift.stride(from: first, through: upper, by: step).map { abs($0) < step / 1e6 ? 0 : $0 }
        }
    }
}

extension LineChart {
    /// The series with their values on the y scale and, when smoothing, the EMA of the means.
    func plottedSeries() -> [PlottedSeries] {
        let weight = min(max(smoothing, 0), Self.maxSmoothing)
        return series.map { line in
            var skipped = 0
            var average = 0.0
            var count = 0
            let points = line.buckets.map { bucket in
                var point = PlottedSeries.Point(
                    x0: bucket.xMin - line.xOffset, x1: bucket.xMax - line.xOffset, low: nil, high: nil, mean: nil,
                    smoothed: nil, raw: bucket)
                point.low = transform(bucket.minValue)
                point.high = transform(bucket.maxValue)
                point.mean = transform(bucket.meanValue)
                if scale == .log, let low = bucket.minValue, low <= 0 { skipped += 1 }
                // A bucket straddling zero on a log scale still shows its positive part.
                if point.low == nil, let high = point.high { point.low = min(high, point.mean ?? high) }
                if weight > 0, let mean = point.mean {
                    // Debiased like TensorBoard's, so the first points are not pulled towards zero.
                    average = average * weight + (1 - weight) * mean
                    count += 1
                    point.smoothed = average / (1 - pow(weight, Double(count)))
                }
                return point
            }
            return PlottedSeries(points: points, skippedBuckets: skipped)
        }
    }

    private func transform(_ value: Double?) -> Double? {
        guard let value, value.isFinite else { return nil }
        guard scale == .log else { return value }
        return value > 0 ? log10(value) : nil
    }

    /// One series: the min–max segments, the mean line (faint when smoothed) and the smoothed line.
    func seriesGroup(_ line: PlottedSeries, index: Int, frame: PlotFrame) -> String {
        let color = Self.escape(series[index].color)
        var segments = ""
        var mean = ""
        var smoothed = ""
        var data = ""
        var meanOpen = false
        var smoothOpen = false
        for point in line.points {
            let x = Self.format(frame.x((Double(point.x0) + Double(point.x1)) / 2))
            if let low = point.low, let high = point.high {
                segments += "M\(x) \(Self.format(frame.y(low)))V\(Self.format(frame.y(high)))"
            }
            if let value = point.mean {
                mean += "\(meanOpen ? "L" : "M")\(x) \(Self.format(frame.y(value)))"
            }
            meanOpen = point.mean != nil
            if let value = point.smoothed {
                smoothed += "\(smoothOpen ? "L" : "M")\(x) \(Self.format(frame.y(value)))"
            }
            smoothOpen = point.smoothed != nil
            if !data.isEmpty { data += ";" }
            data += "\(point.x0),\(point.x1),\(Self.number(point.raw.minValue)),\(Self.number(point.raw.maxValue)),"
            data += Self.number(point.raw.meanValue)
            if point.smoothed != nil { data += ",\(Self.number(Self.rawValue(point.smoothed, scale: scale)))" }
        }
        let smoothing = !smoothed.isEmpty
        var out = "<g class=\"series\" data-series=\"\(index)\" data-label=\"\(Self.escape(series[index].label))\""
        out += " data-color=\"\(color)\" data-points=\"\(data)\">"
        // The range in the series colour, strong enough that one spike among thousands of points stands out;
        // square caps give a single-point bucket (min = max) a visible dot.
        out += "<path class=\"range\" d=\"\(segments)\" stroke=\"\(color)\" stroke-opacity=\"0.6\""
        out += " stroke-width=\"2.5\" stroke-linecap=\"square\" fill=\"none\"/>"
        // A white halo keeps the line on top (the mean, or the smoothed line) readable over a dense range.
        let top = smoothing ? smoothed : mean
        // In a crowded chart the lines cover each other anyway; halos would only add weight to the page.
        if !top.isEmpty, series.count <= Self.crowdedSeries {
            out += "<path class=\"halo\" d=\"\(top)\" stroke=\"#fff\" stroke-opacity=\"0.8\" stroke-width=\"4\""
            out += " fill=\"none\" stroke-linejoin=\"round\"/>"
        }
        out += "<path class=\"mean\" d=\"\(mean)\" stroke=\"\(color)\" stroke-width=\"1.6\" fill=\"none\""
        out += " stroke-linejoin=\"round\"\(smoothing ? " stroke-opacity=\"0.3\"" : "")/>"
        if smoothing {
            out += "<path class=\"smoothed\" d=\"\(smoothed)\" stroke=\"\(color)\" stroke-width=\"2\" fill=\"none\""
            out += " stroke-linejoin=\"round\"/>"
        }
        return out + "</g>"
    }

    /// A value on the y scale back in data units.
    static func rawValue(_ value: Double?, scale: ChartScale) -> Double? {
        guard let value else { return nil }
        return scale == .log ? pow(10, value) : value
    }
}
