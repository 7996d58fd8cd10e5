import Foundation

/// Round tick steps: 1, 2 or 5 times a power of ten.
enum NiceNumbers {
    /// A round step that divides `span` into about `count` intervals.
    static func step(span: Double, count: Int) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(count, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// Round steps of time in milliseconds, from a second to a year.
    static let timeSteps: [Int64] =
        ([
            1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172_800, 604_800,
            2_592_000, 31_536_000,
        ] as [Int64]).map { $0 * 1000 }
}

extension LineChart {
    /// The x tick positions in axis units.
    func xTicks(from x0: Int64, to x1: Int64) -> [Int64] {
        let span = Double(x1 - x0)
        let step: Int64
        if axis == .step {
            step = max(1, Int64(NiceNumbers.step(span: span, count: 5)))
        } else {
            let wanted = span / 5
            step = NiceNumbers.timeSteps.first { Double($0) >= wanted } ?? Int64(NiceNumbers.step(span: span, count: 5))
        }
        // The first multiple of the step at or after x0 (floor division also for negative x0).
        var first = x0 / step * step
        if first < x0 { first += step }
        return Array(Swift.stride(from: first, through: x1, by: Int(step)).prefix(12))
    }

    /// The text of an x value: a step number, a UTC clock time, or a duration since the start.
    func tickLabel(_ x: Int64) -> String {
        switch axis {
        case .step:
            return Self.number(Double(x))
        case .wallTime:
            let date = Date(timeIntervalSince1970: Double(x) / 1000)
            let span = (range?.upperBound ?? x) - (range?.lowerBound ?? x)
            return Self.utcFormatter(span > 86_400_000 ? "MM-dd HH:mm" : "HH:mm:ss").string(from: date)
        case .relativeTime:
            return Self.duration(x)
        }
    }

    /// A duration in milliseconds as `1h 05m`, `2m 30s`, `12s` or `350ms`.
    static func duration(_ milliseconds: Int64) -> String {
        let sign = milliseconds < 0 ? "-" : ""
        let value = abs(milliseconds)
        let seconds = value / 1000
        if seconds == 0 { return "\(sign)\(value)ms" }
        let (hours, minutes, rest) = (seconds / 3600, seconds % 3600 / 60, seconds % 60)
        if hours >= 48 { return "\(sign)\(hours / 24)d \(hours % 24)h" }
        if hours > 0 { return "\(sign)\(hours)h \(minutes < 10 ? "0" : "")\(minutes)m" }
        if minutes > 0 { return "\(sign)\(minutes)m \(rest < 10 ? "0" : "")\(rest)s" }
        return "\(sign)\(rest)s"
    }

    private static func utcFormatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }

    /// The text of a y tick (a value on the chart's scale).
    func yTickLabel(_ tick: Double) -> String {
        scale == .log ? Self.number(pow(10, tick)) : Self.number(tick)
    }

    /// Grid lines, tick labels and axis titles.
    func axes(frame: PlotFrame) -> String {
        let right = frame.left + frame.width
        let bottom = frame.top + frame.height
        var out = "<g class=\"axes\" font-size=\"13\" fill=\"#5b6475\">"
        for tick in frame.y.ticks {
            let y = Self.format(frame.y(tick))
            let label = yTickLabel(tick)
            out += "<line x1=\"\(Self.format(frame.left))\" x2=\"\(Self.format(right))\" y1=\"\(y)\" y2=\"\(y)\""
            out += " stroke=\"#e3e7ee\"/>"
            out += "<text x=\"\(Self.format(frame.left - 6))\" y=\"\(y)\" dy=\"5\" text-anchor=\"end\">\(label)</text>"
        }
        // Wall-clock labels are wider: keep every other one when they would touch.
        var ticks = xTicks(from: frame.x0, to: frame.x1)
        if axis == .wallTime, ticks.count > 4 {
            ticks = ticks.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        }
        for tick in ticks {
            let x = Self.format(frame.x(Double(tick)))
            out += "<line x1=\"\(x)\" x2=\"\(x)\" y1=\"\(Self.format(bottom))\" y2=\"\(Self.format(bottom + 5))\""
            out += " stroke=\"#8a93a3\"/>"
            out += "<text x=\"\(x)\" y=\"\(Self.format(bottom + 20))\" text-anchor=\"middle\">"
            out += "\(Self.escape(tickLabel(tick)))</text>"
        }
        out += "<rect x=\"\(Self.format(frame.left))\" y=\"\(Self.format(frame.top))\""
        out += " width=\"\(Self.format(frame.width))\" height=\"\(Self.format(frame.height))\" fill=\"none\""
        out += " stroke=\"#c3cad6\"/>"
        out += "<text x=\"\(Self.format(frame.left + frame.width / 2))\" y=\"\(Self.format(bottom + 41))\""
        out += " text-anchor=\"middle\">\(axis.title)\(scale == .log ? " · log scale" : "")</text>"
        return out + "</g>"
    }
}
