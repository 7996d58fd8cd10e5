/// One workload of the suite: it sets up its data over HTTP, measures, and adds its figures to the report.
protocol Workload: Sendable {
    /// The name `--only` selects it by, and the first column of its rows.
    static var name: String { get }
    /// What it measures, for `--help` and the log.
    static var summary: String { get }

    /// Whether the workload loads the server under test, so that its resident memory is sampled meanwhile.
    static var loadsServerUnderTest: Bool { get }

    init()

    /// Runs the workload against the context's server.
    func run(in context: BenchContext, report: inout Report) async throws
}

extension Workload {
    static var loadsServerUnderTest: Bool { true }
}

/// Every workload, in the order the suite runs them.
let allWorkloads: [any Workload.Type] = [
    GeneratorWorkload.self, NativeIngestWorkload.self, MLflowIngestWorkload.self, SmallBatchesWorkload.self,
    RetryWorkload.self, LogMetricWorkload.self, HistoryWorkload.self, SearchWorkload.self, MemoryWorkload.self,
    StartWorkload.self,
]
