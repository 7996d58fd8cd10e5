import Synchronization

/// Samples the server's resident memory (VmRSS) in the background while a workload runs.
final class MemorySampler: Sendable {
    /// One sample: the resident bytes and, when a counter was given, how many requests had been answered.
    struct Sample: Sendable {
        var resident: Int
        var answered: Int
    }

    private let server: ServerProcessInfo
    private let counter: RequestCounter?
    private let samples = Mutex<[Sample]>([])
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(server: ServerProcessInfo, counter: RequestCounter? = nil, interval: Duration = .milliseconds(200)) {
        self.server = server
        self.counter = counter
        let sampling = Task { [weak self] in
            while !Task.isCancelled {
                self?.sample()
                try? await Task.sleep(for: interval)
            }
        }
        task.withLock { $0 = sampling }
    }

    private func sample() {
        guard let resident = try? server.residentMemory().current else { return }
        let sample = Sample(resident: resident, answered: counter?.count ?? 0)
        samples.withLock { $0.append(sample) }
    }

    /// Stops sampling, takes a last sample and returns them all.
    func stop() -> [Sample] {
        task.withLock { $0?.cancel() }
        sample()
        return samples.withLock { $0 }
    }
}

extension [MemorySampler.Sample] {
    /// The highest resident memory sampled, in megabytes.
    var peakMegabytes: Double { Double(map(\.resident).max() ?? 0) / 1_000_000 }
}
