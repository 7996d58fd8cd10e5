import GRDB
import LablogCore

extension SQLiteStore {
    public func createExperiment(_ new: NewExperiment) async throws -> Experiment {
        try Validator.experimentName(new.name)
        try Validator.length(new.description ?? "", atMost: Limits.maxDescriptionLength, field: "description")
        try new.tags.forEach(Validator.experimentTag)
        let now = environment.now()
        return try await perform {
            try await write { db in
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM experiments WHERE name = ?", arguments: [new.name])
                    ?? false
                {
                    throw LablogError.alreadyExists("An experiment named '\(new.name)' already exists")
                }
                try db.execute(
                    sql: """
                        INSERT INTO experiments (name, description, status, lifecycle, artifact_location, created_at,
                                                 updated_at)
                        VALUES (?, ?, ?, 'active', ?, ?, ?)
                        """,
                    arguments: [new.name, new.description, new.status.rawValue, new.artifactLocation, now, now])
                let id = db.lastInsertedRowID
                for tag in Self.lastValuePerKey(new.tags) {
                    try Self.upsertExperimentTag(db, experimentID: id, tag: tag)
                }
                return try Self.fetchExperiment(db, id: id)
            }
        }
    }

    public func experiment(id: ExperimentID) async throws -> Experiment {
        try await perform { try await writer.read { db in try Self.fetchExperiment(db, id: id) } }
    }

    public func experiment(named name: String) async throws -> Experiment? {
        try await perform {
            try await writer.read { db in
                let id = try ExperimentID.fetchOne(
                    db, sql: "SELECT id FROM experiments WHERE name = ?", arguments: [name])
                return try id.map { try Self.fetchExperiment(db, id: $0) }
            }
        }
    }

    public func listExperiments(_ query: ExperimentQuery) async throws -> Page<Experiment> {
        let offset = try PageCursor.decodeOffset(query.cursor)
        let limit = max(1, min(query.limit, Limits.maxStorePageSize))
        var conditions: [String] = []
        var arguments: StatementArguments = []
        switch query.lifecycle {
        case .all: break
        case .active, .deleted:
            conditions.append("e.lifecycle = ?")
            _ = arguments.append(contentsOf: [query.lifecycle.rawValue])
        }
        if let text = query.nameContains, !text.isEmpty {
            conditions.append("instr(lower(e.name), lower(?)) > 0")
            _ = arguments.append(contentsOf: [text])
        }
        if let status = query.status {
            conditions.append("e.status = ?")
            _ = arguments.append(contentsOf: [status.rawValue])
        }
        for tag in query.tags {
            if let value = tag.value {
                conditions.append(
                    "EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.id AND t.key = ? AND t.value = ?)"
                )
                _ = arguments.append(contentsOf: [tag.key, value])
            } else {
                conditions.append("EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.id AND t.key = ?)")
                _ = arguments.append(contentsOf: [tag.key])
            }
        }
        if let filter = query.filter {
            var compiler = FilterSQL(.experiments)
            conditions.append(compiler.condition(filter))
            arguments += compiler.arguments
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let order = SchemaSQL.experimentOrdering(query)
        let sql = """
            SELECT e.id FROM experiments e \(whereClause)
            ORDER BY \(order) LIMIT ? OFFSET ?
            """
        let pageArguments = arguments + [limit + 1, offset]
        let countArguments = arguments
        return try await perform {
            try await writer.read { db in
                let ids = try ExperimentID.fetchAll(db, sql: sql, arguments: pageArguments)
                let experiments = try Self.fetchExperiments(db, ids: Array(ids.prefix(limit)))
                let total = try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM experiments e \(whereClause)", arguments: countArguments)
                return Page(
                    items: experiments, nextCursor: ids.count > limit ? PageCursor.offset(offset + limit) : nil,
                    totalCount: total)
            }
        }
    }

    public func updateExperiment(id: ExperimentID, _ update: ExperimentUpdate) async throws -> Experiment {
        try Validator.experimentUpdate(update)
        let now = environment.now()
        return try await perform {
            try await write { db in
                try Self.requireExperiment(db, id: id)
                if let name = update.name {
                    let holder = try ExperimentID.fetchOne(
                        db, sql: "SELECT id FROM experiments WHERE name = ?", arguments: [name])
                    if let holder, holder != id {
                        throw LablogError.alreadyExists("An experiment named '\(name)' already exists")
                    }
                    try db.execute(sql: "UPDATE experiments SET name = ? WHERE id = ?", arguments: [name, id])
                }
                if let description = update.description {
                    try db.execute(
                        sql: "UPDATE experiments SET description = ? WHERE id = ?", arguments: [description, id])
                }
                if let status = update.status {
                    try db.execute(
                        sql: "UPDATE experiments SET status = ? WHERE id = ?", arguments: [status.rawValue, id])
                }
                try db.execute(sql: "UPDATE experiments SET updated_at = ? WHERE id = ?", arguments: [now, id])
                return try Self.fetchExperiment(db, id: id)
            }
        }
    }

    public func deleteExperiments(ids: [ExperimentID], mustBeActive: Bool) async throws {
        try await setExperimentLifecycle(ids: ids, to: .deleted, strict: mustBeActive)
    }

    public func restoreExperiments(ids: [ExperimentID], mustBeDeleted: Bool) async throws {
        try await setExperimentLifecycle(ids: ids, to: .active, strict: mustBeDeleted)
    }

    /// Sets the lifecycle of experiments and their runs; with `strict`, an experiment already in the target
    /// state counts as missing, in the same statement that changes it, so two racing requests cannot both win.
    private func setExperimentLifecycle(ids: [ExperimentID], to lifecycle: Lifecycle, strict: Bool) async throws {
        let now = environment.now()
        let condition = strict ? "id = ? AND lifecycle != ?" : "id = ? AND ? IS NOT NULL"
        try await perform {
            try await write { db in
                for id in Set(ids) {
                    try db.execute(
                        sql: "UPDATE experiments SET lifecycle = ?, updated_at = ? WHERE \(condition)",
                        arguments: [lifecycle.rawValue, now, id, lifecycle.rawValue])
                    guard db.changesCount == 1 else { throw LablogError.notFound(.experiment, String(id)) }
                    try db.execute(
                        sql: "UPDATE runs SET lifecycle = ? WHERE experiment_id = ?",
                        arguments: [lifecycle.rawValue, id])
                }
            }
        }
    }

    public func purgeExperiment(id: ExperimentID) async throws {
        try await perform {
            try await write { db in
                try Self.requireExperiment(db, id: id)
                try ChunkTable.purge(db, runsWhere: "experiment_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM experiments WHERE id = ?", arguments: [id])
            }
        }
    }

    @discardableResult
    public func setExperimentTag(experimentIDs: [ExperimentID], _ tag: KeyValue) async throws -> [Tag] {
        try Validator.experimentTag(tag)
        let now = environment.now()
        return try await perform {
            try await write { db in
                try experimentIDs.map { id in
                    try Self.requireExperiment(db, id: id)
                    try db.execute(sql: "UPDATE experiments SET updated_at = ? WHERE id = ?", arguments: [now, id])
                    return try Self.upsertExperimentTag(db, experimentID: id, tag: tag)
                }
            }
        }
    }

    public func deleteExperimentTag(experimentID: ExperimentID, tagID: Int64) async throws {
        try await deleteExperimentTag(experimentID: experimentID, where: "id = ?", tagID, label: String(tagID))
    }

    public func deleteExperimentTag(experimentID: ExperimentID, key: String) async throws {
        try await deleteExperimentTag(experimentID: experimentID, where: "key = ?", key, label: key)
    }

    private func deleteExperimentTag(
        experimentID: ExperimentID, where condition: String, _ value: some DatabaseValueConvertible & Sendable,
        label: String
    ) async throws {
        try await perform {
            try await write { db in
                try Self.requireExperiment(db, id: experimentID)
                try db.execute(
                    sql: "DELETE FROM experiment_tags WHERE experiment_id = ? AND \(condition)",
                    arguments: [experimentID, value])
                guard db.changesCount == 1 else { throw LablogError.notFound(.tag, label) }
            }
        }
    }

    // MARK: Helpers shared inside the store

    @discardableResult
    static func upsertExperimentTag(_ db: Database, experimentID: ExperimentID, tag: KeyValue) throws -> Tag {
        let id = try Int64.fetchOne(
            db,
            sql: """
                INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)
                ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value
                RETURNING id
                """,
            arguments: [experimentID, tag.key, tag.value])
        return Tag(id: id ?? 0, key: tag.key, value: tag.value)
    }

    static func fetchExperiment(_ db: Database, id: ExperimentID) throws -> Experiment {
        guard let experiment = try fetchExperiments(db, ids: [id]).first else {
            throw LablogError.notFound(.experiment, String(id))
        }
        return experiment
    }

    /// Loads experiments with their tags, in the order of `ids`.
    static func fetchExperiments(_ db: Database, ids: [ExperimentID]) throws -> [Experiment] {
        try inChunks(ids) { try fetchExperimentChunk(db, ids: $0) }
    }

    /// `load` applied to slices of at most 5,000 ids, well under SQLite's limit of bound variables, in order.
    static func inChunks<ID, Item>(_ ids: [ID], _ load: ([ID]) throws -> [Item]) rethrows -> [Item] {
        let size = 5000
        guard ids.count > size else { return try load(ids) }
        return try stride(from: 0, to: ids.count, by: size).flatMap { start in
            try load(Array(ids[start..<min(start + size, ids.count)]))
        }
    }

    /// Throws ``LablogError/notFound(_:_:)`` unless the experiment exists (in either lifecycle state).
    static func requireExperiment(_ db: Database, id: ExperimentID) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM experiments WHERE id = ?", arguments: [id]) ?? false else {
            throw LablogError.notFound(.experiment, String(id))
        }
    }

    private static func fetchExperimentChunk(_ db: Database, ids: [ExperimentID]) throws -> [Experiment] {
        guard !ids.isEmpty else { return [] }
        let list = placeholders(ids.count)
        var tags: [ExperimentID: [Tag]] = [:]
        for row in try Row.fetchAll(
            statement(
                db,
                "SELECT experiment_id, id, key, value FROM experiment_tags WHERE experiment_id IN (\(list)) ORDER BY key",
                reuse: ids.count == 1),
            arguments: StatementArguments(ids))
        {
            tags[row[0], default: []].append(Tag(id: row[1], key: row[2], value: row[3]))
        }
        var byID: [ExperimentID: Experiment] = [:]
        for row in try Row.fetchAll(
            statement(
                db,
                """
                SELECT id, name, description, status, lifecycle, created_at, updated_at, run_count, last_run_at,
                       artifact_location
                FROM experiments WHERE id IN (\(list))
                """, reuse: ids.count == 1),
            arguments: StatementArguments(ids))
        {
            let id: ExperimentID = row[0]
            byID[id] = Experiment(
                id: id, name: row[1], description: row[2],
                status: ExperimentStatus(rawValue: row[3]) ?? .running,
                lifecycle: Lifecycle(rawValue: row[4]) ?? .active, tags: tags[id] ?? [], createdAt: row[5],
                updatedAt: row[6], runCount: row[7], lastRunAt: row[8], artifactLocation: row[9])
        }
        return ids.compactMap { byID[$0] }
    }

    /// A prepared statement for `sql`, kept for reuse when `reuse` is set. Preparing costs more than running a
    /// small statement (GRDB inspects every column a statement reads), but GRDB's statement cache has no bound,
    /// so only statements whose text takes few forms (an `IN` list of one id, not of any count) are kept.
    static func statement(_ db: Database, _ sql: String, reuse: Bool) throws -> Statement {
        reuse ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
    }

    /// `?, ?, ?` for an `IN` list of `count` values.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// Keeps the last value given for each key, in first-seen key order.
    static func lastValuePerKey(_ pairs: [KeyValue]) -> [KeyValue] {
        var order: [String] = []
        var values: [String: String] = [:]
        for pair in pairs {
            if values.updateValue(pair.value, forKey: pair.key) == nil { order.append(pair.key) }
        }
        return order.map { KeyValue(key: $0, value: values[$0] ?? "") }
    }
}
