import LablogCore
import PostgresNIO

extension PostgresStore {
    public func createRun(_ new: NewRun) async throws -> Run {
        try Validator.newRun(new)
        let now = environment.now()
        let id = environment.makeRunID()
        let limit = environment.maxRunsPerExperiment
        let run = try await write { session in
            // Checked here for a clear error; the guarded count update below is what holds the limit when
            // several processes race, so no lock on the experiment is taken while the run's rows are inserted.
            let experiment = try await Self.fetchExperiment(session, id: new.experimentID)
            guard experiment.lifecycle == .active else { throw Self.deletedExperiment(new.experimentID) }
            if limit > 0, experiment.runCount >= limit {
                throw LablogError.runLimitReached(experimentID: new.experimentID, limit: limit)
            }
            var parent: Int64?
            if let parentID = new.parentRunID { parent = try await Self.runRow(session, id: parentID).rowID }
            let nameTag = new.tags.last { $0.key == RunTagKeys.runName }?.value
            let name = [new.name, nameTag].compactMap { $0 }.first { !$0.isEmpty } ?? RunNames.name(for: id)
            let startTime = new.startTime ?? now
            let endTime: Int64? = new.status.isTerminal ? startTime : nil
            let inserted = try await session.first(
                """
                INSERT INTO runs (uuid, experiment_id, name, status, start_time, end_time, lifecycle, parent_run_id,
                                  artifact_uri, user_id)
                VALUES (\(id.rawValue), \(new.experimentID), \(name), \(new.status.rawValue), \(startTime),
                        \(endTime), 'active', \(parent), \(Self.artifactURI(of: experiment, runID: id)), \(new.userID))
                RETURNING id
                """, prepared: InsertRun.self)
            guard let rowID = try inserted?.decode(Int64.self) else {
                throw LablogError.storageUnavailable("PostgreSQL at \(self.location) returned no id for a new run")
            }
            // MLflow clients read a run's name and parent from these tags; the store keeps them equal to the run's
            // own fields whichever API created it.
            var tags = new.tags.filter { $0.key != RunTagKeys.runName }
            tags.append(KeyValue(key: RunTagKeys.runName, value: name))
            if let parentID = new.parentRunID {
                tags.removeAll { $0.key == RunTagKeys.parentRunID }
                tags.append(KeyValue(key: RunTagKeys.parentRunID, value: parentID.rawValue))
            }
            try await Self.appendBatch(
                session,
                run: RunRow(
                    rowID: rowID, lifecycle: .active, experimentID: new.experimentID, status: new.status,
                    endTime: endTime),
                metrics: new.metrics, params: new.params, tags: tags)
            // Last, so the experiment row stays locked only until commit. A competing update waits for that
            // commit and then re-checks the condition against the new count: exactly one takes the last place.
            let counted = try await session.first(
                """
                UPDATE experiments SET run_count = run_count + 1,
                    last_run_at = greatest(coalesce(last_run_at, \(startTime)), \(startTime))
                WHERE id = \(new.experimentID) AND lifecycle = 'active'
                    AND (\(limit) = 0 OR run_count < \(limit))
                RETURNING 1
                """, prepared: CountRun.self)
            if counted == nil {
                let current = try await Self.fetchExperiment(session, id: new.experimentID)
                guard current.lifecycle == .active else { throw Self.deletedExperiment(new.experimentID) }
                throw LablogError.runLimitReached(experimentID: new.experimentID, limit: limit)
            }
            return try await Self.fetchRun(session, rowID: rowID, id: id)
        }
        noteRunsCreated(1)
        return run
    }

    private static func deletedExperiment(_ id: ExperimentID) -> LablogError {
        LablogError.invalidState("Experiment \(id) is deleted; restore it before creating runs in it")
    }

    public func run(id: RunID) async throws -> Run {
        try await read { session in try await Self.fetchRun(session, id: id) }
    }

    public func updateRun(id: RunID, _ update: RunUpdate) async throws -> Run {
        if let name = update.name { try Validator.runName(name) }
        let now = environment.now()
        return try await write { session in
            // Locked: when two processes finish the same run at once, the second sees how the first ended it.
            let row = try await Self.runRow(session, id: id, lock: true)
            try Self.requireActive(row, id: id)
            if let name = update.name, !name.isEmpty {
                try await session.execute("UPDATE runs SET name = \(name) WHERE id = \(row.rowID)")
                try await Self.upsertRunTags(
                    session, runRowID: row.rowID, tags: [KeyValue(key: RunTagKeys.runName, value: name)])
            }
            let change = try update.change(of: id, status: row.status, endTime: row.endTime, now: now)
            if change.status != nil || change.endTime != nil {
                try await session.execute(
                    """
                    UPDATE runs SET status = COALESCE(\(change.status?.rawValue), status),
                        end_time = COALESCE(\(change.endTime), end_time)
                    WHERE id = \(row.rowID)
                    """)
            }
            return try await Self.fetchRun(session, rowID: row.rowID, id: id)
        }
    }

    public func deleteRuns(ids: [RunID]) async throws {
        try await setRunLifecycle(ids: ids, to: .deleted)
    }

    public func restoreRuns(ids: [RunID]) async throws {
        try await setRunLifecycle(ids: ids, to: .active)
    }

    private func setRunLifecycle(ids: [RunID], to lifecycle: Lifecycle) async throws {
        try await write { session in
            for id in Set(ids).sorted(by: { $0.rawValue < $1.rawValue }) {
                let row = try await Self.runRow(session, id: id, lock: true)
                if lifecycle == .active {
                    let experiment = try await session.first(
                        "SELECT lifecycle FROM experiments WHERE id = \(row.experimentID)")
                    guard try experiment?.decode(String.self) == Lifecycle.active.rawValue else {
                        throw LablogError.invalidState(
                            "Run \(id) belongs to a deleted experiment; restore the experiment instead")
                    }
                }
                try await session.execute("UPDATE runs SET lifecycle = \(lifecycle.rawValue) WHERE id = \(row.rowID)")
            }
        }
    }

    @discardableResult
    public func setRunTag(runID: RunID, _ tag: KeyValue) async throws -> Tag {
        try Validator.runTag(tag)
        return try await write { session in
            let row = try await Self.runRow(session, id: runID)
            try Self.requireActive(row, id: runID)
            try await Self.renameFromTags(session, rowID: row.rowID, tags: [tag])
            try await Self.recordKeys(session, experimentID: row.experimentID, kind: "tag", keys: [tag.key])
            let tags = try await Self.upsertRunTags(session, runRowID: row.rowID, tags: [tag])
            return tags.first ?? Tag(id: 0, key: tag.key, value: tag.value)
        }
    }

    public func deleteRunTag(runID: RunID, tagID: Int64) async throws {
        try await write { session in
            let row = try await Self.runRow(session, id: runID)
            try Self.requireActive(row, id: runID)
            let deleted = try await session.execute(
                "DELETE FROM run_tags WHERE run_id = \(row.rowID) AND id = \(tagID) RETURNING 1")
            guard deleted == 1 else { throw LablogError.notFound(.tag, String(tagID)) }
        }
    }

    public func deleteRunTag(runID: RunID, key: String) async throws {
        try await write { session in
            let row = try await Self.runRow(session, id: runID)
            try Self.requireActive(row, id: runID)
            let deleted = try await session.execute(
                "DELETE FROM run_tags WHERE run_id = \(row.rowID) AND key = \(key) RETURNING 1")
            guard deleted == 1 else { throw LablogError.notFound(.tag, key) }
        }
    }

    // MARK: Helpers shared inside the store

    /// The storage key, lifecycle and state of a run.
    struct RunRow: Sendable {
        var rowID: Int64
        var lifecycle: Lifecycle
        var experimentID: ExperimentID
        var status: RunStatus
        var endTime: Int64?
    }

    /// The run's row; with `lock`, locked until the transaction ends.
    static func runRow(_ session: Session, id: RunID, lock: Bool = false) async throws -> RunRow {
        let row =
            lock
            ? try await session.first(
                """
                SELECT id, lifecycle, experiment_id, status, end_time FROM runs WHERE uuid = \(id.rawValue)
                FOR UPDATE
                """, prepared: LockedRunRow.self)
            : try await session.first(
                "SELECT id, lifecycle, experiment_id, status, end_time FROM runs WHERE uuid = \(id.rawValue)",
                prepared: RunRowByID.self)
        guard
            let (rowID, lifecycle, experimentID, status, endTime) = try row?.decode(
                (Int64, String, Int64, String, Int64?).self)
        else { throw LablogError.notFound(.run, id.rawValue) }
        return RunRow(
            rowID: rowID, lifecycle: Lifecycle(rawValue: lifecycle) ?? .active, experimentID: experimentID,
            status: RunStatus(rawValue: status) ?? .running, endTime: endTime)
    }

    static func requireActive(_ row: RunRow, id: RunID) throws {
        guard row.lifecycle == .active else {
            throw LablogError.invalidState("Run \(id) is deleted; restore it before changing it")
        }
    }

    /// Inserts or overwrites tags (keys distinct) in one statement; returns them with their ids, in order.
    @discardableResult
    static func upsertRunTags(_ session: Session, runRowID: Int64, tags: [KeyValue]) async throws -> [Tag] {
        guard !tags.isEmpty else { return [] }
        let rows = try await session.all(
            """
            INSERT INTO run_tags (run_id, key, value)
            SELECT \(runRowID), t.key, t.value FROM unnest(\(tags.map(\.key))::text[], \(tags.map(\.value))::text[])
                AS t (key, value)
            ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value
            RETURNING key, id
            """, prepared: UpsertRunTags.self)
        var ids: [String: Int64] = [:]
        for row in rows {
            let (key, id) = try row.decode((String, Int64).self)
            ids[key] = id
        }
        return tags.map { Tag(id: ids[$0.key] ?? 0, key: $0.key, value: $0.value) }
    }

    /// `<experiment location>/<run id>/artifacts`, with MLflow's proxied `mlflow-artifacts:/<experiment id>` as
    /// the location of experiments created without one.
    static func artifactURI(of experiment: Experiment, runID: RunID) -> String {
        var location = experiment.artifactLocation ?? "mlflow-artifacts:/\(experiment.id)"
        while location.hasSuffix("/") { location.removeLast() }
        return "\(location)/\(runID.rawValue)/artifacts"
    }

    static func fetchRun(_ session: Session, id: RunID) async throws -> Run {
        try await fetchRun(session, rowID: runRow(session, id: id).rowID, id: id)
    }

    /// The whole run stored under `rowID`, for callers that already hold it.
    static func fetchRun(_ session: Session, rowID: Int64, id: RunID) async throws -> Run {
        guard let run = try await PostgresRunLoader.load(session, rowIDs: [rowID]).first else {
            throw LablogError.notFound(.run, id.rawValue)
        }
        return run
    }
}

private enum RunRowByID: PreparedName {}
private enum LockedRunRow: PreparedName {}
private enum UpsertRunTags: PreparedName {}
private enum InsertRun: PreparedName {}
private enum CountRun: PreparedName {}
