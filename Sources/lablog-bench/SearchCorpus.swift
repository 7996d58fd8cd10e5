import NIOCore

/// The runs of the search workload, the same for every benchmark: params `p0`..., tags `t0`... and metrics
/// `m0`... with a 100-step history each, whose last values the filter and the order read.
struct SearchCorpus: Sendable {
    static let params = 10
    static let tags = 5
    static let metrics = 10
    static let steps = 100

    /// Three conditions, one of them an OR.
    static let filter = "metrics.m0 > 0.5 and (params.p1 = 'v3' or params.p2 = 'v7')"
    static let orderBy = "metrics.m1 DESC"

    let timestamp: Int64
    /// Every point before the last step, the same for every run, encoded once: `{"metrics":[...` without the end.
    private let historyPrefix: ByteBuffer

    init(timestamp: Int64) {
        self.timestamp = timestamp
        var buffer = ByteBuffer(string: #"{"metrics":["#)
        for step in 0..<(Self.steps - 1) {
            for metric in 0..<Self.metrics {
                buffer.writeString(
                    #"{"key":"m\#(metric)","value":\#(Double(step) / 100),"timestamp":\#(timestamp),"step":\#(step)},"#)
            }
        }
        historyPrefix = buffer
    }

    /// What one run holds.
    struct Run {
        var params: [String]
        var tags: [String]
        /// The last value of each metric.
        var latest: [Double]

        /// Whether ``SearchCorpus/filter`` matches the run.
        var matches: Bool { latest[0] > 0.5 && (params[1] == "v3" || params[2] == "v7") }
    }

    func run(_ index: Int) -> Run {
        var generator = SplitMix64(seed: UInt64(index) &* 7919 &+ 1)
        let params = (0..<Self.params).map { _ in "v\(generator.next() % 10)" }
        let tags = (0..<Self.tags).map { _ in "g\(generator.next() % 7)" }
        let latest = (0..<Self.metrics).map { _ in Double(generator.next() >> 11) / Double(1 << 53) }
        return Run(params: params, tags: tags, latest: latest)
    }

    /// The body creating run `index` with its params and tags.
    func creationBody(_ index: Int) -> String {
        let run = run(index)
        let params = run.params.enumerated().map { #""p\#($0)":"\#($1)""# }.joined(separator: ",")
        let tags = run.tags.enumerated().map { #""t\#($0)":"\#($1)""# }.joined(separator: ",")
        return #"{"name":"run-\#(index)","params":{\#(params)},"tags":{\#(tags)}}"#
    }

    /// The native batch of run `index`'s metric histories: the shared steps, then its own last values.
    func historyBody(_ index: Int) -> ByteBuffer {
        var body = historyPrefix
        let last = Self.steps - 1
        let points = run(index).latest.enumerated().map { metric, value in
            #"{"key":"m\#(metric)","value":\#(value),"timestamp":\#(timestamp),"step":\#(last)}"#
        }
        body.writeString(points.joined(separator: ",") + "]}")
        return body
    }
}
