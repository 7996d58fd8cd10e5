/// What a stored chunk of history holds, kept beside its points so that bounds and chart buckets are read from
/// summaries instead of from every point: the level of detail a chart of a long history is drawn from.
public struct MetricChunkSummary: Sendable, Equatable {
    /// The first and last points in history order (their step and timestamp key the chunk).
    public var first: MetricSample
    public var last: MetricSample
    public var minTimestamp: Int64
    public var maxTimestamp: Int64
    /// How many points the chunk holds, NaN included.
    public var count: Int
    /// How many of them are not NaN, and their smallest, largest and sum (nil when there are none).
    public var valueCount: Int
    public var minValue: Double?
    public var maxValue: Double?
    public var sum: Double

    /// Makes a summary from stored columns.
    public init(
        first: MetricSample, last: MetricSample, minTimestamp: Int64, maxTimestamp: Int64, count: Int,
        valueCount: Int, minValue: Double?, maxValue: Double?, sum: Double
    ) {
        self.first = first
        self.last = last
        self.minTimestamp = minTimestamp
        self.maxTimestamp = maxTimestamp
        self.count = count
        self.valueCount = valueCount
        self.minValue = minValue
        self.maxValue = maxValue
        self.sum = sum
    }

    /// The summary of a non-empty run of samples in history order.
    public init?(_ samples: some Collection<MetricSample>) {
        guard let first = samples.first else { return nil }
        self.init(
            first: first, last: first, minTimestamp: first.timestamp, maxTimestamp: first.timestamp, count: 0,
            valueCount: 0, minValue: nil, maxValue: nil, sum: 0)
        extend(with: samples)
    }

    /// Folds samples that follow the chunk's last point into the summary.
    public mutating func extend(with samples: some Collection<MetricSample>) {
        for sample in samples {
            last = sample
            count += 1
            minTimestamp = min(minTimestamp, sample.timestamp)
            maxTimestamp = max(maxTimestamp, sample.timestamp)
            guard !sample.value.isNaN else { continue }
            valueCount += 1
            sum += sample.value
            minValue = Swift.min(minValue ?? sample.value, sample.value)
            maxValue = Swift.max(maxValue ?? sample.value, sample.value)
        }
    }

    /// The smallest and largest x of the chunk's points on `axis`.
    public func range(on axis: ChartAxis) -> ClosedRange<Int64> {
        switch axis {
        case .step: first.step...last.step
        case .time: minTimestamp...maxTimestamp
        }
    }
}
