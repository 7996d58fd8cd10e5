/// The port a backend offers for copying all of its data to another backend: pages of raw records in a stable
/// order out, and the same records in, idempotently, with their ids and times preserved.
///
/// Exports page by key (experiments and datasets by their position, runs by run id, histories by chunk key), so
/// memory stays bounded whatever the size of the database. Imports may be repeated: each one replaces what it
/// names and nothing else, so an interrupted copy can be run again. Imports write rows as they are, bypassing
/// the rules of ``TrackingStore`` (limits, run counters, lifecycle checks): they are meant for an empty
/// database, or one holding an earlier copy of the same source.
public protocol StoreTransfer: Sendable {
    /// How many records of each kind the store holds.
    func transferCounts() async throws -> TransferCounts

    /// Up to `limit` experiments with ids greater than `id` (all when nil), by id.
    func exportExperiments(after id: ExperimentID?, limit: Int) async throws -> [TransferExperiment]

    /// The experiments with the given ids that exist.
    func exportExperiments(ids: [ExperimentID]) async throws -> [TransferExperiment]

    /// Up to `limit` datasets after the one `after` names (from the start when nil), by experiment, name and
    /// digest.
    func exportDatasets(after: TransferDataset?, limit: Int) async throws -> [TransferDataset]

    /// Up to `limit` runs with ids greater than `id` (all when nil), by run id.
    func exportRuns(after id: String?, limit: Int) async throws -> [TransferRun]

    /// The runs with the given ids that exist.
    func exportRuns(ids: [String]) async throws -> [TransferRun]

    /// Up to `limit` links of runs to their parents, for runs with ids greater than `id`, by run id.
    func exportParentLinks(after id: String?, limit: Int) async throws -> [TransferParentLink]

    /// The metric histories of the given runs, each run's by key; runs without metrics are absent.
    func exportSeries(runIDs: [String]) async throws -> [String: [TransferSeries]]

    /// Up to `limit` chunks of one history, in history order, starting after the chunk keyed `after` (from the
    /// first when nil); each chunk's points are in history order.
    func exportChunks(runID: String, key: String, after: TransferPosition?, limit: Int) async throws
        -> [[MetricSample]]

    /// Writes experiments (replacing those with the same ids, tags included) in one transaction.
    func importExperiments(_ experiments: [TransferExperiment]) async throws

    /// Writes datasets (replacing those with the same experiment, name and digest) in one transaction.
    func importDatasets(_ datasets: [TransferDataset]) async throws

    /// Writes runs with their params, tags, latest metrics and inputs (replacing what runs with the same ids
    /// hold, but not their histories) in one transaction. A parent is linked when it is already stored.
    func importRuns(_ runs: [TransferRun]) async throws

    /// Links runs to their parents in one transaction.
    func importParentLinks(_ links: [TransferParentLink]) async throws

    /// Appends whole chunks to a run's history in one transaction, each as one stored chunk; a chunk whose key
    /// is already stored is left as it is.
    func importChunks(runID: String, key: String, chunks: [[MetricSample]]) async throws
}
