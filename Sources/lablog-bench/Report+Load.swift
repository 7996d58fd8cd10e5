/// The rows every load adds the same way.
extension Report {
    /// Adds the latency percentiles and request count of a load, for information.
    mutating func addLatencies(_ workload: String, _ load: LoadDriver.Result) {
        add(
            workload, "latency p50 / p99 (\(formatted(load.responses)) requests)", load.latencies.summary,
            passed: nil)
    }

    /// Adds the number of failed requests, which must be zero, with the first failure as the note.
    mutating func addFailures(_ workload: String, _ load: LoadDriver.Result) {
        add(
            workload, "failed requests", formatted(load.failures), target: "0", passed: load.failures == 0,
            note: load.firstFailure ?? "")
    }
}
