import NIOCore

/// A million runs created in quick succession while the server's resident memory is sampled: it must stay under
/// the ceiling and flat, where the legacy tracker leaked.
///
/// It runs on a fresh server of its own when the server binary is known, so that what earlier workloads left in
/// the heap of the server under test does not hide (or fake) growth.
struct MemoryWorkload: Workload {
    static let name = "memory"
    static let summary = "1,000,000 runs created in quick succession: RSS < 200 MB and < 10% growth after the 10% mark"
    static let loadsServerUnderTest = false

    /// Runs per experiment, the server's default ceiling.
    private static let runsPerExperiment = 10_000
    private static let connections = 16

    func run(in context: BenchContext, report: inout Report) async throws {
        let fresh = try await context.withFreshServer(label: Self.name) { server in
            var rows = Report()
            try await measure(in: server, report: &rows, note: "fresh server")
            return rows
        }
        if let fresh {
            report.append(fresh)
        } else {
            try await measure(in: context, report: &report, note: "server under test")
        }
    }

    private func measure(in context: BenchContext, report: inout Report, note: String) async throws {
        guard let server = context.server else {
            report.add(Self.name, "resident memory", "not measured", passed: nil, note: "needs --server-pid")
            return
        }
        let total = context.scale.memoryRuns
        let experiments = (total + Self.runsPerExperiment - 1) / Self.runsPerExperiment
        let suffix = uniqueSuffix()
        var encoded: [ByteBuffer] = []
        for experiment in 0..<experiments {
            let id = try await context.http.createExperiment(named: "bench-memory-\(suffix)-\(experiment)")
            encoded.append(context.encoder.post("/api/experiments/\(id)/runs", json: "{}"))
        }
        let requests = encoded
        let connections = Self.connections
        context.log("\(Self.name): creating \(formatted(total)) runs in \(experiments) experiments")
        let counter = RequestCounter()
        let sampler = MemorySampler(server: server, counter: counter)
        let progress = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(15))
                context.log("\(Self.name): \(formatted(counter.count)) runs created")
            }
        }
        defer { progress.cancel() }
        let load = try await context.driver.run(connections: connections, progress: counter) { connection, index in
            let run = index * connections + connection
            return run < total ? requests[run / Self.runsPerExperiment] : nil
        }
        let samples = sampler.stop()
        report.add(
            Self.name, "\(formatted(total)) runs created", "\(formatted(load.requestsPerSecond)) runs/s", passed: nil,
            note: "\(note); " + load.cpuNote)
        report.addFailures(Self.name, load)
        let peak = samples.peakMegabytes
        report.add(
            Self.name, "peak resident memory while creating", "\(formatted(peak, decimals: 1)) MB", target: "< 200 MB",
            passed: peak < 200)
        guard let mark = samples.first(where: { $0.answered * 10 >= total }), let last = samples.last,
            mark.resident > 0
        else {
            report.add(Self.name, "growth after the 10% mark", "too few samples", target: "< 10%", passed: false)
            return
        }
        let growth = Double(last.resident - mark.resident) / Double(mark.resident) * 100
        report.add(
            Self.name, "growth from the 10% mark to the end", "\(formatted(growth, decimals: 1))%", target: "< 10%",
            passed: growth < 10,
            note: "\(formatted(Double(mark.resident) / 1_000_000, decimals: 1)) -> "
                + "\(formatted(Double(last.resident) / 1_000_000, decimals: 1)) MB, \(samples.count) samples, \(note)")
    }
}
