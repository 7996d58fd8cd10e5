/// Folds a history, visited in history order, into chart buckets over an x range: whole chunks through their
/// summaries when a chunk falls inside one bucket, single points otherwise.
///
/// A bucket keeps the extremes, so a downsampled line still shows every spike, and its first and last values.
public struct MetricBucketFold: Sendable {
    public let axis: ChartAxis
    public let range: ClosedRange<Int64>
    private let width: Double
    private var folds: [Fold]

    /// Prepares `buckets` equal buckets over `range` on `axis`.
    public init(axis: ChartAxis, range: ClosedRange<Int64>, buckets: Int) {
        self.axis = axis
        self.range = range
        // Widths in Double: a timestamp range times the bucket count can overflow 64-bit integers.
        width = (Double(range.upperBound) - Double(range.lowerBound) + 1) / Double(max(1, buckets))
        folds = Array(repeating: Fold(), count: max(1, buckets))
    }

    /// Folds a whole chunk through its summary when every point of it lands in one bucket; returns false (and
    /// changes nothing) when the chunk straddles buckets or the range's ends, so its points must be added.
    public mutating func add(_ summary: MetricChunkSummary) -> Bool {
        let xs = summary.range(on: axis)
        guard range.contains(xs.lowerBound), range.contains(xs.upperBound) else { return false }
        let index = bucket(of: xs.lowerBound)
        guard index == bucket(of: xs.upperBound) else { return false }
        folds[index].add(summary, xs: xs)
        return true
    }

    /// Folds the points of `samples` that fall in the range.
    public mutating func add(_ samples: [MetricSample]) {
        for sample in samples {
            let x = axis == .step ? sample.step : sample.timestamp
            guard range.contains(x) else { continue }
            folds[bucket(of: x)].add(x: x, value: sample.value)
        }
    }

    /// The non-empty buckets, in x order.
    public var buckets: [MetricBucket] {
        folds.compactMap(\.bucket)
    }

    private func bucket(of x: Int64) -> Int {
        min(folds.count - 1, Int((Double(x) - Double(range.lowerBound)) / width))
    }

    /// The running summary of one bucket.
    private struct Fold {
        var xMin = Int64.max
        var xMax = Int64.min
        var minValue = Double.infinity
        var maxValue = -Double.infinity
        var sum = 0.0
        var valueCount = 0
        var count = 0
        var first: Double?
        var last: Double?

        mutating func add(x: Int64, value: Double) {
            xMin = min(xMin, x)
            xMax = max(xMax, x)
            if count == 0 { first = value }
            last = value
            count += 1
            guard !value.isNaN else { return }
            minValue = min(minValue, value)
            maxValue = max(maxValue, value)
            sum += value
            valueCount += 1
        }

        mutating func add(_ summary: MetricChunkSummary, xs: ClosedRange<Int64>) {
            xMin = min(xMin, xs.lowerBound)
            xMax = max(xMax, xs.upperBound)
            if count == 0 { first = summary.first.value }
            last = summary.last.value
            count += summary.count
            guard summary.valueCount > 0, let low = summary.minValue, let high = summary.maxValue else { return }
            minValue = min(minValue, low)
            maxValue = max(maxValue, high)
            sum += summary.sum
            valueCount += summary.valueCount
        }

        var bucket: MetricBucket? {
            guard count > 0 else { return nil }
            let hasValues = valueCount > 0
            return MetricBucket(
                xMin: xMin, xMax: xMax, minValue: hasValues ? minValue : nil, maxValue: hasValues ? maxValue : nil,
                meanValue: hasValues ? sum / Double(valueCount) : nil, firstValue: first.flatMap(Self.number),
                lastValue: last.flatMap(Self.number), count: count)
        }

        private static func number(_ value: Double) -> Double? {
            value.isNaN ? nil : value
        }
    }
}
