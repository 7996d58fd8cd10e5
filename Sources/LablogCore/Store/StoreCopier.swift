/// Copies everything one store holds into another through their ``StoreTransfer`` ports: experiments, datasets,
/// runs with their params, tags, latest metrics and inputs, parent links, and every history chunk by chunk.
///
/// The copy works in batches, so memory stays bounded however long a history is, and it can be resumed: run
/// again after an interruption, it skips every run whose record and histories already match the source and
/// continues each history after the last chunk the target holds. Before writing anything it checks that the
/// target holds nothing but an earlier copy of this source (or a freshly created database), and refuses
/// otherwise. The source should not be written to while it is copied.
public struct StoreCopier: Sendable {
    /// Batch sizes.
    public struct Options: Sendable {
        /// Runs read and written per batch.
        public var runsPerBatch = 100
        /// History chunks (up to ``MetricChunk/capacity`` points each) read and written per batch.
        public var chunksPerBatch = 64
        /// Experiments, datasets and parent links per batch.
        public var recordsPerBatch = 500

        /// The default batch sizes.
        public init() {}
    }

    /// What a copy has done so far, reported after every batch.
    public struct Progress: Sendable, Equatable {
        /// The step the copy is in.
        public enum Phase: String, Sendable {
            case checking, experiments, datasets, runs, parents, verifying, done
        }

        /// The step the copy is in.
        public var phase: Phase
        /// The runs the source holds.
        public var runsTotal: Int
        /// The history points the source holds.
        public var pointsTotal: Int
        /// Runs the target holds completely so far, including those an earlier copy left there.
        public var runsDone = 0
        /// Points the target holds so far, including those an earlier copy left there.
        public var pointsDone = 0
        /// Runs this copy wrote (the rest were already complete).
        public var runsWritten = 0
        /// Points this copy wrote.
        public var pointsWritten = 0
    }

    /// The store copied from.
    public let source: any StoreTransfer
    /// The store copied to.
    public let target: any StoreTransfer
    /// Batch sizes.
    public let options: Options

    /// Makes a copier; nothing is read until ``copy(progress:)``.
    public init(from source: any StoreTransfer, to target: any StoreTransfer, options: Options = Options()) {
        self.source = source
        self.target = target
        self.options = options
    }

    /// Copies everything, calling `progress` after each batch; an error thrown by `progress` stops the copy
    /// where it is (as an interruption would).
    /// - Returns: the final progress, with the counts the source and the target agree on.
    /// - Throws: ``LablogError/invalidState(_:)`` when the target holds other data or the copy does not match
    ///   the source; the stores' errors otherwise.
    @discardableResult
    public func copy(progress: @Sendable (Progress) async throws -> Void = { _ in }) async throws -> Progress {
        let totals = try await source.transferCounts()
        var state = Progress(phase: .checking, runsTotal: totals.runs, pointsTotal: totals.points)
        try await progress(state)
        try await checkTarget()
        state.phase = .experiments
        try await progress(state)
        try await copyExperiments()
        state.phase = .datasets
        try await progress(state)
        try await copyDatasets()
        state.phase = .runs
        try await progress(state)
        try await copyRuns(&state, progress: progress)
        state.phase = .parents
        try await progress(state)
        try await copyParentLinks()
        state.phase = .verifying
        try await progress(state)
        let copied = try await target.transferCounts()
        guard copied == totals else {
            throw LablogError.invalidState(
                "the copy does not match the source: the source holds \(totals); the target holds \(copied)")
        }
        state.phase = .done
        try await progress(state)
        return state
    }

    /// Refuses a target holding anything but an earlier copy of this source: every experiment must be one of
    /// the source's (same id, name and creation time), or the untouched default experiment of a new database, and
    /// every run one of the source's (same id and experiment).
    private func checkTarget() async throws {
        var lastExperiment: ExperimentID?
        while true {
            let page = try await target.exportExperiments(after: lastExperiment, limit: options.recordsPerBatch)
            guard let last = page.last else { break }
            lastExperiment = last.id
            let known = try await source.exportExperiments(ids: page.map(\.id))
            let byID = Dictionary(known.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for experiment in page {
                if let original = byID[experiment.id], original.name == experiment.name,
                    original.createdAt == experiment.createdAt
                {
                    continue
                }
                if experiment.id == 0, experiment.tags.isEmpty, experiment.runCount == 0 { continue }
                throw refusal("experiment \(experiment.id) '\(experiment.name)' is not one of the source's")
            }
        }
        var lastRun: String?
        while true {
            let page = try await target.exportRuns(after: lastRun, limit: options.runsPerBatch)
            guard let last = page.last else { break }
            lastRun = last.id
            let known = try await source.exportRuns(ids: page.map(\.id))
            let byID = Dictionary(known.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for run in page where byID[run.id]?.experimentID != run.experimentID {
                throw refusal("run \(run.id) '\(run.name)' is not one of the source's")
            }
        }
    }

    private func refusal(_ reason: String) -> LablogError {
        LablogError.invalidState(
            "the target database holds data that is not an earlier copy of the source (\(reason)); copy into an "
                + "empty database")
    }

    private func copyExperiments() async throws {
        var last: ExperimentID?
        while true {
            let page = try await source.exportExperiments(after: last, limit: options.recordsPerBatch)
            guard let final = page.last else { return }
            try await target.importExperiments(page)
            last = final.id
        }
    }

    private func copyDatasets() async throws {
        var last: TransferDataset?
        while true {
            let page = try await source.exportDatasets(after: last, limit: options.recordsPerBatch)
            guard let final = page.last else { return }
            try await target.importDatasets(page)
            last = final
        }
    }

    private func copyParentLinks() async throws {
        var last: String?
        while true {
            let page = try await source.exportParentLinks(after: last, limit: options.recordsPerBatch)
            guard let final = page.last else { return }
            try await target.importParentLinks(page)
            last = final.runID
        }
    }

    private func copyRuns(_ state: inout Progress, progress: @Sendable (Progress) async throws -> Void) async throws {
        var last: String?
        while true {
            let page = try await source.exportRuns(after: last, limit: options.runsPerBatch)
            guard let final = page.last else { return }
            last = final.id
            let ids = page.map(\.id)
            let stored = try await target.exportRuns(ids: ids)
            let storedByID = Dictionary(stored.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let changed = page.filter { storedByID[$0.id] != $0 }
            if !changed.isEmpty {
                try await target.importRuns(changed)
            }
            let wanted = try await source.exportSeries(runIDs: ids)
            let held = try await target.exportSeries(runIDs: ids)
            for run in page {
                var wrote = storedByID[run.id] != run
                for series in wanted[run.id] ?? [] {
                    let existing = held[run.id]?.first { $0.key == series.key }
                    state.pointsDone += existing?.pointCount ?? 0
                    guard existing != series else { continue }
                    wrote = true
                    try await copyHistory(
                        runID: run.id, key: series.key, after: existing?.lastChunk, &state, progress: progress)
                }
                state.runsDone += 1
                if wrote { state.runsWritten += 1 }
            }
            let copied = try await target.exportSeries(runIDs: ids)
            for id in ids where (copied[id] ?? []) != (wanted[id] ?? []) {
                throw LablogError.invalidState(
                    "the histories of run \(id) in the target do not match the source's after copying them")
            }
            try await progress(state)
        }
    }

    private func copyHistory(
        runID: String, key: String, after start: TransferPosition?, _ state: inout Progress,
        progress: @Sendable (Progress) async throws -> Void
    ) async throws {
        var after = start
        while true {
            let chunks = try await source.exportChunks(
                runID: runID, key: key, after: after, limit: options.chunksPerBatch)
            guard let final = chunks.last, let first = final.first else { return }
            try await target.importChunks(runID: runID, key: key, chunks: chunks)
            let points = chunks.reduce(0) { $0 + $1.count }
            state.pointsDone += points
            state.pointsWritten += points
            after = TransferPosition(step: first.step, timestamp: first.timestamp)
            try await progress(state)
            guard chunks.count == options.chunksPerBatch else { return }
        }
    }
}
