import LablogCore
import Testing

@Suite("Metric chunks: how points are dealt to chunks")
struct MetricChunkTests {
    private func samples(_ steps: [Int64], timestamp: Int64 = 0) -> [MetricSample] {
        steps.map { MetricSample(step: $0, timestamp: timestamp, value: Double($0)) }
    }

    @Test("the open chunk takes points up to its capacity, and always those sharing its last position")
    func appendableCount() throws {
        let full = try #require(MetricChunkSummary(samples((0..<1_024).map(Int64.init))[...]))
        let later = samples([2_000, 2_001])[...]
        #expect(MetricChunk.appendableCount(later, to: full) == 0)
        let sameLast = [MetricSample(step: 1_023, timestamp: 0, value: 5)] + later
        #expect(MetricChunk.appendableCount(sameLast[...], to: full) == 1)
        let small = try #require(MetricChunkSummary(samples([0, 1, 2])[...]))
        #expect(MetricChunk.appendableCount(later, to: small) == 2)
        let many = samples((3..<2_000).map(Int64.init))[...]
        #expect(MetricChunk.appendableCount(many, to: small) == 1_021)
    }

    @Test("late points are dealt to the chunk whose range they fall in; the last chunk takes the rest")
    func deal() {
        let firsts = [0, 10, 20].map { MetricChunk.Position(step: $0, timestamp: 0) }
        let dealt = MetricChunk.deal(samples([-5, 3, 10, 12, 19, 25, 99])[...], toChunksStartingAt: firsts)
        #expect(dealt.map { $0.map(\.step) } == [[-5, 3], [10, 12, 19], [25, 99]])
        #expect(MetricChunk.deal(samples([1])[...], toChunksStartingAt: []).isEmpty)
    }

    @Test("a merged chunk stays whole until it holds twice the capacity, never cut inside a position")
    func rechunk() {
        #expect(MetricChunk.rechunk(samples((0..<2_048).map(Int64.init))).count == 1)
        let pieces = MetricChunk.rechunk(samples((0..<2_049).map(Int64.init)))
        #expect(pieces.map(\.count) == [1_024, 1_024, 1])
        let tied = samples([Int64](repeating: 7, count: 3_000))
        #expect(MetricChunk.rechunk(tied).map(\.count) == [3_000])
    }
}
