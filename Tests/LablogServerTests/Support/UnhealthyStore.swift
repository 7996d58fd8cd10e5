import LablogCore
import LablogSQLite

/// A store whose health check fails as an unreachable database's would; everything else is a working store.
struct UnhealthyStore: TrackingStore {
    let base: any TrackingStore
    /// What `checkHealth()` throws.
    var failure: any Error = LablogError.storageUnavailable("disk I/O error")

    init(failure: any Error = LablogError.storageUnavailable("disk I/O error")) throws {
        base = try SQLiteStore.inMemory()
        self.failure = failure
    }

    func checkHealth() async throws { throw failure }

    func migrate() async throws { try await base.migrate() }
    func createExperiment(_ new: NewExperiment) async throws -> Experiment { try await base.createExperiment(new) }
    func experiment(id: ExperimentID) async throws -> Experiment { try await base.experiment(id: id) }
    func experiment(named name: String) async throws -> Experiment? { try await base.experiment(named: name) }
    func listExperiments(_ query: ExperimentQuery) async throws -> Page<Experiment> {
        try await base.listExperiments(query)
    }
    func updateExperiment(id: ExperimentID, _ update: ExperimentUpdate) async throws -> Experiment {
        try await base.updateExperiment(id: id, update)
    }
    func deleteExperiments(ids: [ExperimentID], mustBeActive: Bool) async throws {
        try await base.deleteExperiments(ids: ids, mustBeActive: mustBeActive)
    }
    func restoreExperiments(ids: [ExperimentID], mustBeDeleted: Bool) async throws {
        try await base.restoreExperiments(ids: ids, mustBeDeleted: mustBeDeleted)
    }
    func purgeExperiment(id: ExperimentID) async throws { try await base.purgeExperiment(id: id) }
    func setExperimentTag(experimentIDs: [ExperimentID], _ tag: KeyValue) async throws -> [Tag] {
        try await base.setExperimentTag(experimentIDs: experimentIDs, tag)
    }
    func deleteExperimentTag(experimentID: ExperimentID, tagID: Int64) async throws {
        try await base.deleteExperimentTag(experimentID: experimentID, tagID: tagID)
    }
    func deleteExperimentTag(experimentID: ExperimentID, key: String) async throws {
        try await base.deleteExperimentTag(experimentID: experimentID, key: key)
    }
    func createRun(_ new: NewRun) async throws -> Run { try await base.createRun(new) }
    func run(id: RunID) async throws -> Run { try await base.run(id: id) }
    func updateRun(id: RunID, _ update: RunUpdate) async throws -> Run { try await base.updateRun(id: id, update) }
    func deleteRuns(ids: [RunID]) async throws { try await base.deleteRuns(ids: ids) }
    func restoreRuns(ids: [RunID]) async throws { try await base.restoreRuns(ids: ids) }
    func searchRuns(_ query: RunQuery) async throws -> Page<Run> { try await base.searchRuns(query) }
    func forEachRun(
        matching query: RunQuery, chunkSize: Int, _ body: @Sendable ([Run]) async throws -> Void
    ) async throws {
        try await base.forEachRun(matching: query, chunkSize: chunkSize, body)
    }
    func runColumns(experimentIDs: [ExperimentID]) async throws -> RunColumns {
        try await base.runColumns(experimentIDs: experimentIDs)
    }
    func logBatch(runID: RunID, metrics: [MetricPoint], params: [KeyValue], tags: [KeyValue]) async throws {
        try await base.logBatch(runID: runID, metrics: metrics, params: params, tags: tags)
    }
    func metricHistory(runID: RunID, key: String, _ query: HistoryQuery) async throws -> Page<MetricPoint> {
        try await base.metricHistory(runID: runID, key: key, query)
    }
    func sampledMetricHistories(
        runIDs: [RunID], key: String, startStep: Int64?, endStep: Int64?, maxResults: Int
    ) async throws -> [RunID: [MetricPoint]] {
        try await base.sampledMetricHistories(
            runIDs: runIDs, key: key, startStep: startStep, endStep: endStep, maxResults: maxResults)
    }
    func metricBuckets(
        runID: RunID, key: String, axis: ChartAxis, from: Int64?, to: Int64?, buckets: Int
    ) async throws -> [MetricBucket] {
        try await base.metricBuckets(runID: runID, key: key, axis: axis, from: from, to: to, buckets: buckets)
    }
    func logInputs(runID: RunID, _ inputs: [DatasetInput]) async throws {
        try await base.logInputs(runID: runID, inputs)
    }
    func setRunTag(runID: RunID, _ tag: KeyValue) async throws -> Tag { try await base.setRunTag(runID: runID, tag) }
    func deleteRunTag(runID: RunID, tagID: Int64) async throws {
        try await base.deleteRunTag(runID: runID, tagID: tagID)
    }
    func deleteRunTag(runID: RunID, key: String) async throws { try await base.deleteRunTag(runID: runID, key: key) }
    func dashboard(metric: String, goal: MetricGoal) async throws -> DashboardData {
        try await base.dashboard(metric: metric, goal: goal)
    }
}
