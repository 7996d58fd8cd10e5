import LablogCore
import Testing

/// Histories longer than one stored chunk: order, repeats, late points and chart buckets must come out as if
/// every point were stored on its own.
@Suite("Long history store contract")
struct LongHistoryContractTests {
    private static let key = "loss"

    /// A deterministic pseudo-random generator, so failures reproduce.
    private struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
    }

    private func log(_ store: any TrackingStore, _ run: RunID, _ samples: some Sequence<MetricSample>) async throws {
        try await store.logBatch(
            runID: run, metrics: samples.map { $0.point(key: Self.key) }, params: [], tags: [])
    }

    private func history(_ store: any TrackingStore, _ run: RunID, pageSize: Int = 100_000) async throws
        -> [MetricSample]
    {
        var samples: [MetricSample] = []
        var cursor: String?
        repeat {
            let page = try await store.metricHistory(
                runID: run, key: Self.key, HistoryQuery(limit: pageSize, cursor: cursor))
            samples += page.items.map(MetricSample.init)
            cursor = page.nextCursor
        } while cursor != nil
        return samples
    }

    @Test("small batches over many chunks read back in order, paged by cursor", arguments: Backend.allCases)
    func smallBatches(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0).id
        let samples = (0..<5_000).map { MetricSample(step: Int64($0), timestamp: 1_000 + Int64($0), value: 0.5) }
        for start in stride(from: 0, to: samples.count, by: 7) {
            try await log(store, run, samples[start..<min(start + 7, samples.count)])
        }
        #expect(try await history(store, run, pageSize: 333) == samples)
        #expect(try await store.run(id: run).latestMetrics.first?.step == 4_999)
    }

    @Test("late and repeated points land in place, each point once", arguments: Backend.allCases)
    func latePoints(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0).id
        let all = (0..<6_000).map { MetricSample(step: Int64($0), timestamp: 7, value: Double($0 % 13)) }
        try await log(store, run, all.filter { $0.step % 2 == 0 })
        // The odd steps arrive later, newest first, in batches that straddle chunk boundaries.
        let odd = all.filter { $0.step % 2 == 1 }.reversed().map { $0 }
        for start in stride(from: 0, to: odd.count, by: 700) {
            try await log(store, run, odd[start..<min(start + 700, odd.count)])
        }
        try await log(store, run, all[1_000..<2_500])
        try await log(store, run, [MetricSample(step: -5, timestamp: 1, value: 1)])
        let expected = [MetricSample(step: -5, timestamp: 1, value: 1)] + all
        #expect(try await history(store, run) == expected)
        #expect(try await history(store, run, pageSize: 999) == expected)
    }

    @Test("one step logged many times (no step given) keeps every timestamp and value", arguments: Backend.allCases)
    func sameStep(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0).id
        var samples: [MetricSample] = []
        for index in 0..<3_000 {
            samples.append(MetricSample(step: 0, timestamp: Int64(index / 3), value: Double(index % 3)))
        }
        samples.append(MetricSample(step: 0, timestamp: 999, value: .nan))
        for start in stride(from: 0, to: samples.count, by: 500) {
            try await log(store, run, samples[start..<min(start + 500, samples.count)].reversed())
        }
        try await log(store, run, samples.shuffled())
        #expect(try await history(store, run, pageSize: 250) == samples)
    }

    @Test("buckets over any range equal a fold over every point", arguments: Backend.allCases)
    func bucketsMatchPoints(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let run = try await store.makeRun(in: 0).id
        var random = Generator(state: 42)
        var samples: [MetricSample] = []
        var time: Int64 = 1_700_000_000_000
        for step in 0..<20_000 {
            time += Int64.random(in: 1...50, using: &random)
            let roll = Int.random(in: 0..<1_000, using: &random)
            let value: Double =
                roll == 0 ? .nan : roll == 1 ? .infinity : roll == 2 ? 1e6 : Double.random(in: -1...1, using: &random)
            samples.append(MetricSample(step: Int64(step), timestamp: time, value: value))
        }
        for start in stride(from: 0, to: samples.count, by: 3_000) {
            try await log(store, run, samples[start..<min(start + 3_000, samples.count)])
        }
        for axis in ChartAxis.allCases {
            let xs = samples.map { axis == .step ? $0.step : $0.timestamp }
            let ranges: [(Int64?, Int64?)] = [
                (nil, nil), (xs[100], xs[19_000]), (xs[5_000], xs[5_050]), (xs[1_023], xs[1_025]),
                (xs[19_999] + 10, nil),
            ]
            for (from, to) in ranges {
                for count in [1, 7, 1_000] {
                    let stored = try await store.metricBuckets(
                        runID: run, key: Self.key, axis: axis, from: from, to: to, buckets: count)
                    let low = max(from ?? xs[0], xs[0])
                    let high = min(to ?? xs[xs.count - 1], xs[xs.count - 1])
                    var expected: [MetricBucket] = []
                    if low <= high {
                        var fold = MetricBucketFold(axis: axis, range: low...high, buckets: count)
                        fold.add(samples)
                        expected = fold.buckets
                    }
                    #expect(stored.count == expected.count, "\(axis) \(String(describing: from))…\(count)")
                    for (got, want) in zip(stored, expected) {
                        #expect(got.xMin == want.xMin && got.xMax == want.xMax && got.count == want.count)
                        #expect(got.minValue == want.minValue && got.maxValue == want.maxValue)
                        #expect(got.firstValue == want.firstValue && got.lastValue == want.lastValue)
                        let (mean, wanted) = (got.meanValue ?? 0, want.meanValue ?? 0)
                        #expect(mean == wanted || abs(mean - wanted) <= 1e-9 * max(1, abs(wanted)))
                    }
                }
            }
        }
    }
}
