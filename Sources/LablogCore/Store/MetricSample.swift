/// One point of a known metric history: a ``MetricPoint`` without its key, for code that handles many points of
/// one series at once.
public struct MetricSample: Sendable, Equatable {
    public var step: Int64
    /// Milliseconds since the Unix epoch.
    public var timestamp: Int64
    /// The value; NaN and ±Infinity are legal.
    public var value: Double

    /// Makes a sample.
    public init(step: Int64, timestamp: Int64, value: Double) {
        self.step = step
        self.timestamp = timestamp
        self.value = value
    }

    /// The sample of a point.
    public init(_ point: MetricPoint) {
        self.init(step: point.step, timestamp: point.timestamp, value: point.value)
    }

    /// The point of this sample under `key`.
    public func point(key: String) -> MetricPoint {
        MetricPoint(key: key, value: value, step: step, timestamp: timestamp)
    }

    /// History order: by step, then timestamp, then value with NaN after every number. A point is its whole
    /// tuple (as in MLflow), so two samples are the same point exactly when neither precedes the other.
    public func precedes(_ other: MetricSample) -> Bool {
        if step != other.step { return step < other.step }
        if timestamp != other.timestamp { return timestamp < other.timestamp }
        if value.isNaN || other.value.isNaN { return !value.isNaN && other.value.isNaN }
        return value < other.value
    }

    /// Whether the two samples share a step and a timestamp: such points always share a stored chunk.
    public func sharesPosition(with other: MetricSample) -> Bool {
        step == other.step && timestamp == other.timestamp
    }

    /// Equality that treats two NaN values as equal, so stored histories compare as written.
    public static func == (lhs: MetricSample, rhs: MetricSample) -> Bool {
        lhs.step == rhs.step && lhs.timestamp == rhs.timestamp
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }
}

extension Array where Element == MetricSample {
    /// The samples in history order with repeats of one point removed.
    public func sortedUnique() -> [MetricSample] {
        var sorted = self
        if !isSortedStrictly() { sorted.sort { $0.precedes($1) } }
        var unique: [MetricSample] = []
        unique.reserveCapacity(sorted.count)
        for sample in sorted where unique.last.map({ $0 != sample }) ?? true {
            unique.append(sample)
        }
        return unique
    }

    /// Whether every sample strictly precedes the next (the common case of a client logging in order).
    func isSortedStrictly() -> Bool {
        var index = 1
        while index < count {
            guard self[index - 1].precedes(self[index]) else { return false }
            index += 1
        }
        return true
    }

    /// The samples of both sorted, repeat-free arrays in history order, each point once.
    public func merged(with other: [MetricSample]) -> [MetricSample] {
        var result: [MetricSample] = []
        result.reserveCapacity(count + other.count)
        var left = 0
        var right = 0
        while left < count, right < other.count {
            if self[left].precedes(other[right]) {
                result.append(self[left])
                left += 1
            } else if other[right].precedes(self[left]) {
                result.append(other[right])
                right += 1
            } else {
                result.append(self[left])
                left += 1
                right += 1
            }
        }
        result.append(contentsOf: self[left...])
        result.append(contentsOf: other[right...])
        return result
    }
}

extension Array where Element == Int64 {
    /// At most `count` elements of this sorted array, evenly spaced, always keeping the first and the last: the
    /// steps MLflow's bulk-interval history read returns.
    public func evenlySpaced(count: Int) -> [Int64] {
        guard self.count > count else { return self }
        guard count > 1 else { return [self[0]] }
        let last = self.count - 1
        return (0..<count).map { index in self[index * last / (count - 1)] }
    }
}
