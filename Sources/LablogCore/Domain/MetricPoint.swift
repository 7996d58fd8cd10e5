/// One point of a metric's history.
public struct MetricPoint: Sendable, Equatable, Hashable {
    public var key: String
    /// The value; NaN and ±Infinity are legal.
    public var value: Double
    public var step: Int64
    /// Milliseconds since the Unix epoch.
    public var timestamp: Int64

    /// Makes a metric point.
    public init(key: String, value: Double, step: Int64, timestamp: Int64) {
        self.key = key
        self.value = value
        self.step = step
        self.timestamp = timestamp
    }

    /// Whether `self` supersedes `other` as a run's latest value: higher step, then later timestamp, then larger
    /// value (NaN counts as larger than any number), as MLflow orders them.
    public func isLater(than other: MetricPoint) -> Bool {
        if step != other.step { return step > other.step }
        if timestamp != other.timestamp { return timestamp > other.timestamp }
        if value.isNaN != other.value.isNaN { return value.isNaN }
        return value > other.value
    }

    /// Equality that treats two NaN values as equal, so stored histories compare as written.
    public static func == (lhs: MetricPoint, rhs: MetricPoint) -> Bool {
        lhs.key == rhs.key && lhs.step == rhs.step && lhs.timestamp == rhs.timestamp
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
        hasher.combine(step)
        hasher.combine(timestamp)
        hasher.combine(value.isNaN ? Double.nan.bitPattern : value.bitPattern)
    }
}
