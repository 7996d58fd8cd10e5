/// The sizes of every workload: the figures, or small ones that run the whole suite in a few minutes.
struct Scale: Sendable {
    /// How long the throughput workloads (ingest, log-metric, the generator's own test) post for.
    var duration: Duration
    /// Concurrent writers, each on its own run, for the ingest workloads.
    var writers: Int
    /// Points per native batch request (the server takes at most 10,000).
    var nativeBatchPoints: Int
    /// Points per MLflow `runs/log-batch` request (MLflow's limit is 1,000).
    var mlflowBatchPoints: Int
    /// Runs logging small batches at once, each on its own connection.
    var smallBatchRuns: Int
    /// Small batches each of those runs sends, and their size.
    var smallBatches: Int
    var smallBatchPoints: Int
    /// Points already stored in the history a retried batch lands on.
    var retryHistoryPoints: Int
    /// Batches sent twice.
    var retriedBatches: Int
    /// Connections sending one point per request to `runs/log-metric`.
    var logMetricConnections: Int
    /// Runs in the search experiment, and the timed search requests.
    var searchRuns: Int
    var searchRequests: Int
    /// Points in the long history.
    var historyPoints: Int
    /// Runs created in quick succession while memory is sampled.
    var memoryRuns: Int
    /// Size of the database the start-up workload opens, in gigabytes.
    var startDatabaseGB: Double

    /// The sizes.
    static let full = Scale(
        duration: .seconds(10), writers: 8, nativeBatchPoints: 10_000, mlflowBatchPoints: 1000, smallBatchRuns: 1000,
        smallBatches: 20, smallBatchPoints: 10, retryHistoryPoints: 1_000_000, retriedBatches: 20,
        logMetricConnections: 16, searchRuns: 100_000, searchRequests: 200, historyPoints: 10_000_000,
        memoryRuns: 1_000_000, startDatabaseGB: 10)

    /// Small sizes, for trying the suite out: every workload, a few minutes in all.
    static let quick = Scale(
        duration: .seconds(3), writers: 8, nativeBatchPoints: 10_000, mlflowBatchPoints: 1000, smallBatchRuns: 1000,
        smallBatches: 5, smallBatchPoints: 10, retryHistoryPoints: 100_000, retriedBatches: 10,
        logMetricConnections: 16, searchRuns: 2000, searchRequests: 50, historyPoints: 1_000_000,
        memoryRuns: 20_000, startDatabaseGB: 0.25)
}
