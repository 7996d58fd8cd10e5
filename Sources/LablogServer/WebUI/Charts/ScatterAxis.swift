import Foundation

/// One axis of a parallel-coordinates or scatter chart: numeric when every value parses as a finite number,
/// categorical (evenly spaced bands, sorted) otherwise.
enum ValueAxis: Sendable, Equatable {
    case numeric(lower: Double, upper: Double)
    case categorical([String])

    /// The axis that fits the values; missing values (nil) do not count.
    init(values: [String?]) {
        let present = values.compactMap { $0 }
        let numbers = present.compactMap(Self.number)
        if !present.isEmpty, numbers.count == present.count {
            self = .numeric(lower: numbers.min() ?? 0, upper: numbers.max() ?? 0)
        } else {
            self = .categorical(Array(Set(present)).sorted())
        }
    }

    /// The number a value text stands for, when it is a finite number.
    static func number(_ text: String) -> Double? {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else { return nil }
        return value
    }

    var isNumeric: Bool {
        if case .numeric = self { return true }
        return false
    }

    /// Where a value sits along the axis, from 0 (start) to 1 (end); nil when it is not on the axis.
    func position(of value: String) -> Double? {
        switch self {
        case .numeric(let lower, let upper):
            guard let number = Self.number(value) else { return nil }
            return upper > lower ? (number - lower) / (upper - lower) : 0.5
        case .categorical(let categories):
            guard let index = categories.firstIndex(of: value) else { return nil }
            return (Double(index) + 0.5) / Double(categories.count)
        }
    }

    /// Tick positions (0...1) and their labels: round numbers (steps of 1, 2 or 5 × 10ⁿ, about `target` of them)
    /// within the axis range, or each category (at most `maxLabels`, spread evenly, when there are more).
    func ticks(maxLabels: Int = 12, target: Int = 5) -> [(position: Double, label: String)] {
        switch self {
        case .numeric(let lower, let upper):
            guard upper > lower else { return [(0.5, NumberFormatting.significant(lower, digits: 6))] }
            return Self.niceTicks(lower: lower, upper: upper, target: target).map { value in
                (min(1, max(0, (value.value - lower) / (upper - lower))), value.label)
            }
        case .categorical(let categories):
            guard !categories.isEmpty else { return [] }
            let stride = max(1, Int((Double(categories.count) / Double(maxLabels)).rounded(.up)))
            return categories.indices.filter { $0 % stride == 0 }.map { index in
                ((Double(index) + 0.5) / Double(categories.count), categories[index])
            }
        }
    }
}

extension ValueAxis {
    /// The multiples of a round step (1, 2 or 5 × 10ⁿ, the smallest giving at most `target` intervals) that lie
    /// within `lower...upper`, with labels showing just the step's decimals. At least two fall in the range.
    static func niceTicks(lower: Double, upper: Double, target: Int) -> [(value: Double, label: String)] {
        let range = upper - lower
        guard range > 0, range.isFinite else { return [] }
        let raw = range / Double(max(1, target))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let residual = raw / magnitude
        let step = (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10) * magnitude
        let decimals = max(0, -Int(log10(step).rounded(.down)))
        let first = (lower / step).rounded(.up)
        // A tolerance of a millionth of a step keeps an end value that floating point nudges past the range.
        let slack = step * 1e-6
        var ticks: [(value: Double, label: String)] = []
        var index = 0.0
        while ticks.count < 100 {
            var value = (first + index) * step
            if value > upper + slack { break }
            if abs(value) < slack { value = 0 }
            let label =
                decimals <= 9 && abs(value) < 1e15
                ? String(format: "%.\(decimals)f", value) : NumberFormatting.significant(value, digits: 6)
            ticks.append((value, label))
            index += 1
        }
        return ticks
    }
}

/// Drawing helpers shared by the parallel-coordinates and scatter charts.
enum ChartMarkup {
    /// A coordinate with at most one decimal, which is finer than a pixel at any size a chart is shown; a
    /// non-finite value (which no layout should produce) draws at 0 instead of trapping.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
    }

    /// `text` shortened to `limit` characters with an ellipsis, then escaped.
    static func label(_ text: String, limit: Int = 22) -> String {
        HTMLEscaping.escape(text.count > limit ? String(text.prefix(limit - 1)) + "…" : text)
    }

    /// A colour-blind-safe ramp (viridis) from 0 (low, purple) to 1 (high, yellow).
    static func ramp(_ fraction: Double) -> String {
        let stops: [(Double, Double, Double)] = [
            (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
        ]
        let clamped = min(1, max(0, fraction.isFinite ? fraction : 0))
        let scaled = clamped * Double(stops.count - 1)
        let index = min(stops.count - 2, Int(scaled))
        let weight = scaled - Double(index)
        let (low, high) = (stops[index], stops[index + 1])
        func channel(_ a: Double, _ b: Double) -> String {
            let value = Int((a + (b - a) * weight).rounded())
            let text = String(value, radix: 16)
            return text.count == 1 ? "0" + text : text
        }
        return "#" + channel(low.0, high.0) + channel(low.1, high.1) + channel(low.2, high.2)
    }
}
