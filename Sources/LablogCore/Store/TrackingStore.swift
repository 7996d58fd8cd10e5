/// The storage port: everything the APIs need from a backend, named by intent, Core values in and out.
///
/// Every backend passes the same contract suite. Methods throw ``LablogError`` for domain failures.
public protocol TrackingStore: Sendable {
    /// Brings the schema to the newest version this build knows.
    func migrate() async throws

    /// Runs a real query against the database; throws ``LablogError/storageUnavailable(_:)`` when it fails.
    func checkHealth() async throws

    // MARK: Experiments

    /// Creates an experiment with a unique name.
    /// - Throws: ``LablogError/alreadyExists(_:)`` when the name is taken (also by a deleted experiment).
    func createExperiment(_ new: NewExperiment) async throws -> Experiment

    /// The experiment with `id`, in either lifecycle state.
    /// - Throws: ``LablogError/notFound(_:_:)``.
    func experiment(id: ExperimentID) async throws -> Experiment

    /// The experiment named `name`, or nil.
    func experiment(named name: String) async throws -> Experiment?

    /// One page of experiments matching `query`.
    func listExperiments(_ query: ExperimentQuery) async throws -> Page<Experiment>

    /// Applies a partial update and returns the result.
    func updateExperiment(id: ExperimentID, _ update: ExperimentUpdate) async throws -> Experiment

    /// Moves experiments and all their runs to the trash. Unknown ids throw ``LablogError/notFound(_:_:)`` and
    /// change nothing.
    /// - Parameter mustBeActive: also throw `notFound` (changing nothing) when an experiment is already deleted,
    ///   as MLflow does; checked in the same transaction as the change.
    func deleteExperiments(ids: [ExperimentID], mustBeActive: Bool) async throws

    /// Restores experiments and all their runs from the trash.
    /// - Parameter mustBeDeleted: also throw `notFound` (changing nothing) when an experiment is active.
    func restoreExperiments(ids: [ExperimentID], mustBeDeleted: Bool) async throws

    /// Removes an experiment, its runs, and everything they hold, for good.
    func purgeExperiment(id: ExperimentID) async throws

    /// Sets (inserts or overwrites) a tag on each of the experiments; returns the tags, one per experiment.
    @discardableResult
    func setExperimentTag(experimentIDs: [ExperimentID], _ tag: KeyValue) async throws -> [Tag]

    /// Removes the experiment tag with the given tag id.
    func deleteExperimentTag(experimentID: ExperimentID, tagID: Int64) async throws

    /// Removes the experiment tag with the given key.
    func deleteExperimentTag(experimentID: ExperimentID, key: String) async throws

    // MARK: Runs

    /// Creates a run, with its initial params, tags and metrics, in one transaction.
    /// - Throws: ``LablogError/runLimitReached(experimentID:limit:)`` when the experiment is full.
    func createRun(_ new: NewRun) async throws -> Run

    /// The run with `id`, in either lifecycle state.
    func run(id: RunID) async throws -> Run

    /// Applies a partial update and returns the result.
    func updateRun(id: RunID, _ update: RunUpdate) async throws -> Run

    /// Moves runs to the trash.
    func deleteRuns(ids: [RunID]) async throws

    /// Restores runs from the trash.
    func restoreRuns(ids: [RunID]) async throws

    /// One page of runs matching `query`.
    func searchRuns(_ query: RunQuery) async throws -> Page<Run>

    /// Calls `body` with successive chunks of every run matching `query` (its `limit` and `cursor` are
    /// ignored), reading one chunk at a time so memory stays flat.
    func forEachRun(
        matching query: RunQuery, chunkSize: Int, _ body: @Sendable ([Run]) async throws -> Void
    ) async throws

    /// The param, latest-metric and tag keys used by the runs of the given experiments (all when empty).
    func runColumns(experimentIDs: [ExperimentID]) async throws -> RunColumns

    /// Logs metrics, params and tags to a run in one transaction. Points already stored with the same key,
    /// step and timestamp are ignored (a retried request stores nothing twice).
    /// - Throws: ``LablogError/paramConflict(key:stored:attempted:)`` when a param changes value;
    ///   ``LablogError/invalidState(_:)`` when the run is deleted.
    func logBatch(runID: RunID, metrics: [MetricPoint], params: [KeyValue], tags: [KeyValue]) async throws

    /// One page of a metric's history, ordered by step then timestamp.
    func metricHistory(runID: RunID, key: String, _ query: HistoryQuery) async throws -> Page<MetricPoint>

    /// Sampled histories of one metric across runs, for charts (MLflow's `get-history-bulk-interval`): per run,
    /// the points of at most `maxResults` steps spread evenly over the run's steps in the range, always
    /// including its first and last step. Runs without the metric are absent from the result.
    func sampledMetricHistories(
        runIDs: [RunID], key: String, startStep: Int64?, endStep: Int64?, maxResults: Int
    ) async throws -> [RunID: [MetricPoint]]

    /// A metric's history reduced to at most `buckets` equal-width buckets of the x range `from...to` (the whole
    /// history when nil), each with its min, max and mean: what a chart draws. Empty buckets are left out.
    /// - Throws: ``LablogError/notFound(_:_:)`` for an unknown run or a key the run never logged.
    func metricBuckets(
        runID: RunID, key: String, axis: ChartAxis, from: Int64?, to: Int64?, buckets: Int
    ) async throws -> [MetricBucket]

    /// Records datasets a run read. Datasets are registered once per experiment by (name, digest); the same
    /// input logged again is stored once.
    func logInputs(runID: RunID, _ inputs: [DatasetInput]) async throws

    /// Sets (inserts or overwrites) a tag on a run and returns it.
    @discardableResult
    func setRunTag(runID: RunID, _ tag: KeyValue) async throws -> Tag

    /// Removes the run tag with the given tag id.
    func deleteRunTag(runID: RunID, tagID: Int64) async throws

    /// Removes the run tag with the given key.
    func deleteRunTag(runID: RunID, key: String) async throws

    // MARK: Overview

    /// Counts and the best run per experiment for `metric`, computed by the database.
    func dashboard(metric: String, goal: MetricGoal) async throws -> DashboardData
}

extension TrackingStore {
    /// Moves experiments and their runs to the trash; already deleted ones stay deleted.
    public func deleteExperiments(ids: [ExperimentID]) async throws {
        try await deleteExperiments(ids: ids, mustBeActive: false)
    }

    /// Restores experiments and their runs from the trash; active ones stay active.
    public func restoreExperiments(ids: [ExperimentID]) async throws {
        try await restoreExperiments(ids: ids, mustBeDeleted: false)
    }
}
