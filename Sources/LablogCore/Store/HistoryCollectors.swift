/// One page of a metric's history, gathered from the series' samples visited in history order from ``start``
/// (the stores walk their chunks; this decides what the page holds).
public struct HistoryPageCollector: Sendable {
    /// Where the visit starts: the query's first step, or the cursor's point when it is later.
    public let start: MetricChunk.Position
    // Visible to the stores' modules so that `visit`, called for every point of a read, is inlined there.
    @usableFromInline let key: String
    @usableFromInline let from: Int64
    @usableFromInline let to: Int64
    @usableFromInline let limit: Int
    @usableFromInline let after: MetricSample?
    @usableFromInline var points: [MetricPoint] = []

    /// - Throws: ``LablogError/badRequest(_:)`` for a cursor that is not a history cursor.
    public init(key: String, query: HistoryQuery) throws {
        after = try PageCursor.decodeHistory(query.cursor)
        limit = max(1, min(query.limit, Limits.maxHistoryPageSize))
        from = query.fromStep ?? .min
        to = query.toStep ?? .max
        self.key = key
        var start = MetricChunk.Position(step: from, timestamp: .min)
        if let after, !MetricChunk.Position(after).precedes(start) { start = MetricChunk.Position(after) }
        self.start = start
        points.reserveCapacity(min(limit + 1, 100_000))
    }

    /// Takes the next sample; false once the page is complete (one point past it tells a next page exists).
    @inlinable
    public mutating func visit(_ sample: MetricSample) -> Bool {
        guard sample.step <= to else { return false }
        guard sample.step >= from, after.map({ $0.precedes(sample) }) ?? true else { return true }
        points.append(sample.point(key: key))
        return points.count <= limit
    }

    /// The page, with a cursor after its last point when more follow.
    public consuming func page() -> Page<MetricPoint> {
        guard points.count > limit else { return Page(items: points, nextCursor: nil) }
        points.removeLast()
        return Page(items: points, nextCursor: points.last.map(PageCursor.after))
    }
}

/// Up to `maxResults` evenly spaced steps of one run's history between two steps, with every point at those steps,
/// gathered in two visits of the series' samples in history order from ``start``: the first notes the steps, the
/// second keeps the points of the chosen ones, so a long history is never held whole.
public struct SampledHistoryCollector: Sendable {
    /// Where both visits start.
    public let start: MetricChunk.Position
    @usableFromInline let key: String
    @usableFromInline let from: Int64
    @usableFromInline let to: Int64
    private let maxResults: Int
    @usableFromInline var steps: [Int64] = []
    @usableFromInline var chosen: Set<Int64> = []
    @usableFromInline var kept: [MetricPoint] = []

    /// The points of the chosen steps, in history order, after the second visit.
    public var points: [MetricPoint] { kept }

    /// - Throws: ``LablogError/invalidValue(field:reason:)`` unless `maxResults` is positive.
    public init(key: String, startStep: Int64?, endStep: Int64?, maxResults: Int) throws {
        guard maxResults > 0 else {
            throw LablogError.invalidValue(field: "max_results", reason: "must be positive")
        }
        self.key = key
        from = startStep ?? .min
        to = endStep ?? .max
        self.maxResults = maxResults
        start = MetricChunk.Position(step: from, timestamp: .min)
    }

    /// First visit: notes the sample's step; false past the last step.
    @inlinable
    public mutating func visitStep(_ sample: MetricSample) -> Bool {
        guard sample.step <= to else { return false }
        if sample.step >= from, steps.last != sample.step { steps.append(sample.step) }
        return true
    }

    /// Chooses the steps after the first visit; false when the range holds none (no second visit is needed).
    public mutating func chooseSteps() -> Bool {
        chosen = Set(steps.evenlySpaced(count: maxResults))
        return !chosen.isEmpty
    }

    /// Second visit: keeps the sample when its step was chosen; false past the last step.
    @inlinable
    public mutating func visitPoint(_ sample: MetricSample) -> Bool {
        guard sample.step <= to else { return false }
        if chosen.contains(sample.step) { kept.append(sample.point(key: key)) }
        return true
    }
}
