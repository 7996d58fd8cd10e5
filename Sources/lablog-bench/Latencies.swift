/// Request latencies of one workload, with the percentiles the report shows.
struct Latencies: Sendable {
    private(set) var samples: [Duration] = []

    var count: Int { samples.count }

    mutating func record(_ latency: Duration) {
        samples.append(latency)
    }

    mutating func merge(_ other: Latencies) {
        samples += other.samples
    }

    /// The latency below which `fraction` of the samples fall (nearest-rank method), in milliseconds.
    func percentile(_ fraction: Double) -> Double {
        guard !samples.isEmpty else { return .nan }
        let sorted = samples.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)].milliseconds
    }

    /// `p50 / p99 ms`, the usual pair of the table.
    var summary: String {
        "\(formatted(percentile(0.5), decimals: 2)) / \(formatted(percentile(0.99), decimals: 2)) ms"
    }
}

extension Duration {
    /// The duration in (fractional) milliseconds.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// The duration in (fractional) seconds.
    var seconds: Double { milliseconds / 1000 }
}

/// Times `body` on the continuous clock.
func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
    let start = ContinuousClock.now
    let value = try await body()
    return (value, ContinuousClock.now - start)
}
