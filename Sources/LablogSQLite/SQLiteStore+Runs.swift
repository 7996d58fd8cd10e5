import GRDB
import LablogCore

extension SQLiteStore {
    public func createRun(_ new: NewRun) async throws -> Run {
        try Validator.newRun(new)
        let now = environment.now()
        let id = environment.makeRunID()
        let limit = environment.maxRunsPerExperiment
        return try await perform {
            try await write { db in
                let experiment = try Self.fetchExperiment(db, id: new.experimentID)
                guard experiment.lifecycle == .active else {
                    throw LablogError.invalidState(
                        "Experiment \(experiment.id) is deleted; restore it before creating runs in it")
                }
                if limit > 0, experiment.runCount >= limit {
                    throw LablogError.runLimitReached(experimentID: experiment.id, limit: limit)
                }
                let parent = try new.parentRunID.map { try Self.runRow(db, id: $0).rowID }
                let nameTag = new.tags.last { $0.key == RunTagKeys.runName }?.value
                let name = [new.name, nameTag].compactMap { $0 }.first { !$0.isEmpty } ?? RunNames.name(for: id)
                let startTime = new.startTime ?? now
                let endTime: Int64? = new.status.isTerminal ? startTime : nil
                try db.cachedStatement(
                    sql: """
                        INSERT INTO runs (uuid, experiment_id, name, status, start_time, end_time, lifecycle,
                                          parent_run_id, artifact_uri, user_id)
                        VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)
                        """
                ).execute(
                    arguments: [
                        id.rawValue, new.experimentID, name, new.status.rawValue, startTime,
                        endTime, parent,
                        Self.artifactURI(of: experiment, runID: id), new.userID,
                    ])
                let rowID = db.lastInsertedRowID
                try db.cachedStatement(
                    sql: """
                        UPDATE experiments SET run_count = run_count + 1, last_run_at = max(coalesce(last_run_at, ?), ?)
                        WHERE id = ?
                        """
                ).execute(
                    arguments: [startTime, startTime, new.experimentID])
                // MLflow clients read a run's name and parent from these tags; the store keeps them equal to the
                // run's own fields whichever API created it.
                var tags = new.tags.filter { $0.key != RunTagKeys.runName }
                tags.append(KeyValue(key: RunTagKeys.runName, value: name))
                if let parentID = new.parentRunID {
                    tags.removeAll { $0.key == RunTagKeys.parentRunID }
                    tags.append(KeyValue(key: RunTagKeys.parentRunID, value: parentID.rawValue))
                }
                try Self.appendBatch(
                    db,
                    run: RunRow(
                        rowID: rowID, lifecycle: .active, experimentID: new.experimentID, status: new.status,
                        endTime: endTime),
                    metrics: new.metrics, params: new.params,
                    tags: tags)
                return try Self.fetchRun(db, rowID: rowID, id: id)
            }
        }
    }

    public func run(id: RunID) async throws -> Run {
        try await perform { try await writer.read { db in try Self.fetchRun(db, id: id) } }
    }

    public func updateRun(id: RunID, _ update: RunUpdate) async throws -> Run {
        if let name = update.name { try Validator.runName(name) }
        let now = environment.now()
        return try await perform {
            try await write { db in
                let row = try Self.runRow(db, id: id)
                try Self.requireActive(row, id: id)
                if let name = update.name, !name.isEmpty {
                    try db.cachedStatement(sql: "UPDATE runs SET name = ? WHERE id = ?").execute(arguments: [
                        name, row.rowID,
                    ])
                    try Self.upsertRunTag(db, runRowID: row.rowID, tag: KeyValue(key: RunTagKeys.runName, value: name))
                }
                let change = try update.change(of: id, status: row.status, endTime: row.endTime, now: now)
                if change.status != nil || change.endTime != nil {
                    try db.cachedStatement(
                        sql: "UPDATE runs SET status = COALESCE(?, status), end_time = COALESCE(?, end_time) "
                            + "WHERE id = ?"
                    ).execute(arguments: [change.status?.rawValue, change.endTime, row.rowID])
                }
                return try Self.fetchRun(db, rowID: row.rowID, id: id)
            }
        }
    }

    public func deleteRuns(ids: [RunID]) async throws {
        try await setRunLifecycle(ids: ids, to: .deleted)
    }

    public func restoreRuns(ids: [RunID]) async throws {
        try await setRunLifecycle(ids: ids, to: .active)
    }

    private func setRunLifecycle(ids: [RunID], to lifecycle: Lifecycle) async throws {
        try await perform {
            try await write { db in
                for id in Set(ids) {
                    let row = try Self.runRow(db, id: id)
                    if lifecycle == .active {
                        let experimentLifecycle = try String.fetchOne(
                            db.cachedStatement(sql: "SELECT lifecycle FROM experiments WHERE id = ?"),
                            arguments: [row.experimentID])
                        guard experimentLifecycle == Lifecycle.active.rawValue else {
                            throw LablogError.invalidState(
                                "Run \(id) belongs to a deleted experiment; restore the experiment instead")
                        }
                    }
                    try db.cachedStatement(
                        sql: "UPDATE runs SET lifecycle = ? WHERE id = ?"
                    ).execute(arguments: [lifecycle.rawValue, row.rowID])
                }
            }
        }
    }

    @discardableResult
    public func setRunTag(runID: RunID, _ tag: KeyValue) async throws -> Tag {
        try Validator.runTag(tag)
        return try await perform {
            try await write { db in
                let row = try Self.runRow(db, id: runID)
                try Self.requireActive(row, id: runID)
                try Self.renameFromTags(db, rowID: row.rowID, tags: [tag])
                try Self.recordKeys(db, experimentID: row.experimentID, kind: "tag", keys: [tag.key])
                return try Self.upsertRunTag(db, runRowID: row.rowID, tag: tag)
            }
        }
    }

    public func deleteRunTag(runID: RunID, tagID: Int64) async throws {
        try await deleteRunTag(runID: runID, where: "id = ?", tagID, label: String(tagID))
    }

    public func deleteRunTag(runID: RunID, key: String) async throws {
        try await deleteRunTag(runID: runID, where: "key = ?", key, label: key)
    }

    private func deleteRunTag(
        runID: RunID, where condition: String, _ value: some DatabaseValueConvertible & Sendable, label: String
    ) async throws {
        try await perform {
            try await write { db in
                let row = try Self.runRow(db, id: runID)
                try Self.requireActive(row, id: runID)
                try db.cachedStatement(
                    sql: "DELETE FROM run_tags WHERE run_id = ? AND \(condition)"
                ).execute(arguments: [row.rowID, value])
                guard db.changesCount == 1 else { throw LablogError.notFound(.tag, label) }
            }
        }
    }

    // MARK: Helpers shared inside the store

    /// The storage key, lifecycle and state of a run.
    struct RunRow {
        var rowID: Int64
        var lifecycle: Lifecycle
        var experimentID: ExperimentID
        var status: RunStatus
        var endTime: Int64?
    }

    static func runRow(_ db: Database, id: RunID) throws -> RunRow {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT id, lifecycle, experiment_id, status, end_time FROM runs WHERE uuid = ?"),
                arguments: [id.rawValue])
        else { throw LablogError.notFound(.run, id.rawValue) }
        return RunRow(
            rowID: row[0], lifecycle: Lifecycle(rawValue: row[1]) ?? .active, experimentID: row[2],
            status: RunStatus(rawValue: row[3]) ?? .running, endTime: row[4])
    }

    static func requireActive(_ row: RunRow, id: RunID) throws {
        guard row.lifecycle == .active else {
            throw LablogError.invalidState("Run \(id) is deleted; restore it before changing it")
        }
    }

    @discardableResult
    static func upsertRunTag(_ db: Database, runRowID: Int64, tag: KeyValue) throws -> Tag {
        let id = try Int64.fetchOne(
            db,
            sql: """
                INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)
                ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value
                RETURNING id
                """,
            arguments: [runRowID, tag.key, tag.value])
        return Tag(id: id ?? 0, key: tag.key, value: tag.value)
    }

    /// `<experiment location>/<run id>/artifacts`, with MLflow's proxied `mlflow-artifacts:/<experiment id>` as
    /// the location of experiments created without one.
    static func artifactURI(of experiment: Experiment, runID: RunID) -> String {
        var location = experiment.artifactLocation ?? "mlflow-artifacts:/\(experiment.id)"
        while location.hasSuffix("/") { location.removeLast() }
        return "\(location)/\(runID.rawValue)/artifacts"
    }

    static func fetchRun(_ db: Database, id: RunID) throws -> Run {
        try fetchRun(db, rowID: runRow(db, id: id).rowID, id: id)
    }

    /// The whole run stored under `rowID`, for callers that already hold it.
    static func fetchRun(_ db: Database, rowID: Int64, id: RunID) throws -> Run {
        guard let run = try RunLoader.load(db, rowIDs: [rowID]).first else {
            throw LablogError.notFound(.run, id.rawValue)
        }
        return run
    }
}
