import LablogCore
import PostgresNIO

extension PostgresStore {
    public func createExperiment(_ new: NewExperiment) async throws -> Experiment {
        try Validator.experimentName(new.name)
        try Validator.length(new.description ?? "", atMost: Limits.maxDescriptionLength, field: "description")
        try new.tags.forEach(Validator.experimentTag)
        let now = environment.now()
        return try await write { session in
            // The unique name decides between two processes creating the same experiment at once.
            let inserted = try await session.first(
                """
                INSERT INTO experiments (name, description, status, lifecycle, artifact_location, created_at,
                                         updated_at)
                VALUES (\(new.name), \(new.description), \(new.status.rawValue), 'active', \(new.artifactLocation),
                        \(now), \(now))
                ON CONFLICT (name) DO NOTHING RETURNING id
                """)
            guard let id = try inserted?.decode(Int64.self) else {
                throw LablogError.alreadyExists("An experiment named '\(new.name)' already exists")
            }
            try await Self.upsertExperimentTags(session, experimentID: id, tags: Self.lastValuePerKey(new.tags))
            return try await Self.fetchExperiment(session, id: id)
        }
    }

    public func experiment(id: ExperimentID) async throws -> Experiment {
        try await read { session in try await Self.fetchExperiment(session, id: id) }
    }

    public func experiment(named name: String) async throws -> Experiment? {
        try await read { session in
            let row = try await session.first("SELECT id FROM experiments WHERE name = \(name)")
            guard let id = try row?.decode(Int64.self) else { return nil }
            return try await Self.fetchExperiment(session, id: id)
        }
    }

    public func listExperiments(_ query: ExperimentQuery) async throws -> Page<Experiment> {
        let offset = try PageCursor.decodeOffset(query.cursor)
        let limit = max(1, min(query.limit, Limits.maxStorePageSize))
        var sql = SQLBuilder()
        var conditions: [String] = []
        switch query.lifecycle {
        case .all: break
        case .active, .deleted: conditions.append("e.lifecycle = \(sql.bind(query.lifecycle.rawValue))")
        }
        if let text = query.nameContains, !text.isEmpty {
            conditions.append("strpos(lower(e.name), lower(\(sql.bind(text)))) > 0")
        }
        if let status = query.status {
            conditions.append("e.status = \(sql.bind(status.rawValue))")
        }
        for tag in query.tags {
            var probe = "SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.id AND t.key = \(sql.bind(tag.key))"
            if let value = tag.value { probe += " AND t.value = \(sql.bind(value))" }
            conditions.append("EXISTS (\(probe))")
        }
        if let filter = query.filter {
            var compiler = PostgresFilterSQL(.experiments, sql: sql)
            conditions.append(compiler.condition(filter))
            sql = compiler.sql
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let order = SchemaSQL.experimentOrdering(query)
        let count = sql.query("SELECT count(*) FROM experiments e \(whereClause)")
        let pageText = """
            SELECT e.id FROM experiments e \(whereClause)
            ORDER BY \(order) LIMIT \(sql.bind(limit + 1)) OFFSET \(sql.bind(offset))
            """
        let page = sql.query(pageText)
        return try await read { session in
            var ids: [Int64] = []
            for try await id in try await session.rows(page).decode(Int64.self) {
                ids.append(id)
            }
            let experiments = try await Self.fetchExperiments(session, ids: Array(ids.prefix(limit)))
            let total = try await session.first(count)?.decode(Int.self)
            return Page(
                items: experiments, nextCursor: ids.count > limit ? PageCursor.offset(offset + limit) : nil,
                totalCount: total)
        }
    }

    public func updateExperiment(id: ExperimentID, _ update: ExperimentUpdate) async throws -> Experiment {
        try Validator.experimentUpdate(update)
        let now = environment.now()
        return try await write { session in
            try await Self.requireExperiment(session, id: id)
            if let name = update.name {
                do {
                    try await session.execute("UPDATE experiments SET name = \(name) WHERE id = \(id)")
                } catch let error where PostgresErrors.isUniqueViolation(error) {
                    throw LablogError.alreadyExists("An experiment named '\(name)' already exists")
                }
            }
            if let description = update.description {
                try await session.execute("UPDATE experiments SET description = \(description) WHERE id = \(id)")
            }
            if let status = update.status {
                try await session.execute("UPDATE experiments SET status = \(status.rawValue) WHERE id = \(id)")
            }
            try await session.execute("UPDATE experiments SET updated_at = \(now) WHERE id = \(id)")
            return try await Self.fetchExperiment(session, id: id)
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
        try await write { session in
            // Sorted, so two transactions touching the same experiments lock them in the same order.
            for id in Set(ids).sorted() {
                let changed = try await session.execute(
                    """
                    UPDATE experiments SET lifecycle = \(lifecycle.rawValue), updated_at = \(now)
                    WHERE id = \(id) AND (NOT \(strict) OR lifecycle <> \(lifecycle.rawValue)) RETURNING 1
                    """)
                guard changed == 1 else { throw LablogError.notFound(.experiment, String(id)) }
                try await session.execute(
                    "UPDATE runs SET lifecycle = \(lifecycle.rawValue) WHERE experiment_id = \(id)")
            }
        }
    }

    public func purgeExperiment(id: ExperimentID) async throws {
        try await write { session in
            try await Self.requireExperiment(session, id: id)
            // Histories have no foreign key (no check per chunk written): they go explicitly.
            try await session.execute(
                "DELETE FROM metric_chunks WHERE run_id IN (SELECT id FROM runs WHERE experiment_id = \(id))")
            try await session.execute("DELETE FROM experiments WHERE id = \(id)")
        }
    }

    @discardableResult
    public func setExperimentTag(experimentIDs: [ExperimentID], _ tag: KeyValue) async throws -> [Tag] {
        try Validator.experimentTag(tag)
        let now = environment.now()
        return try await write { session in
            var tags: [Tag] = []
            for id in experimentIDs {
                try await Self.requireExperiment(session, id: id)
                try await session.execute("UPDATE experiments SET updated_at = \(now) WHERE id = \(id)")
                tags += try await Self.upsertExperimentTags(session, experimentID: id, tags: [tag])
            }
            return tags
        }
    }

    public func deleteExperimentTag(experimentID: ExperimentID, tagID: Int64) async throws {
        try await write { session in
            try await Self.requireExperiment(session, id: experimentID)
            let deleted = try await session.execute(
                "DELETE FROM experiment_tags WHERE experiment_id = \(experimentID) AND id = \(tagID) RETURNING 1")
            guard deleted == 1 else { throw LablogError.notFound(.tag, String(tagID)) }
        }
    }

    public func deleteExperimentTag(experimentID: ExperimentID, key: String) async throws {
        try await write { session in
            try await Self.requireExperiment(session, id: experimentID)
            let deleted = try await session.execute(
                "DELETE FROM experiment_tags WHERE experiment_id = \(experimentID) AND key = \(key) RETURNING 1")
            guard deleted == 1 else { throw LablogError.notFound(.tag, key) }
        }
    }

    // MARK: Helpers shared inside the store

    /// Inserts or overwrites tags (keys distinct) in one statement; returns them with their ids, in order.
    @discardableResult
    static func upsertExperimentTags(_ session: Session, experimentID: ExperimentID, tags: [KeyValue]) async throws
        -> [Tag]
    {
        guard !tags.isEmpty else { return [] }
        let rows = try await session.rows(
            """
            INSERT INTO experiment_tags (experiment_id, key, value)
            SELECT \(experimentID), t.key, t.value FROM unnest(\(tags.map(\.key))::text[], \(tags.map(\.value))::text[])
                AS t (key, value)
            ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value
            RETURNING key, id
            """)
        var ids: [String: Int64] = [:]
        for try await (key, id) in rows.decode((String, Int64).self) {
            ids[key] = id
        }
        return tags.map { Tag(id: ids[$0.key] ?? 0, key: $0.key, value: $0.value) }
    }

    static func fetchExperiment(_ session: Session, id: ExperimentID) async throws -> Experiment {
        guard let experiment = try await fetchExperiments(session, ids: [id]).first else {
            throw LablogError.notFound(.experiment, String(id))
        }
        return experiment
    }

    /// Loads experiments with their tags, in the order of `ids`, in one query prepared once per connection (every
    /// run creation and experiment check reads experiments through it).
    static func fetchExperiments(_ session: Session, ids: [ExperimentID]) async throws -> [Experiment] {
        guard !ids.isEmpty else { return [] }
        var byID: [ExperimentID: Experiment] = [:]
        let rows = try await session.all(
            """
            SELECT e.id, e.name, e.description, e.status, e.lifecycle, e.created_at, e.updated_at, e.run_count,
                   e.last_run_at, e.artifact_location,
                   coalesce(t.ids, '{}'), coalesce(t.keys, '{}'), coalesce(t.vals, '{}')
            FROM experiments e LEFT JOIN (
                SELECT experiment_id, array_agg(id ORDER BY key) AS ids, array_agg(key ORDER BY key) AS keys,
                       array_agg(value ORDER BY key) AS vals
                FROM experiment_tags WHERE experiment_id = ANY(\(ids)) GROUP BY experiment_id) t
                ON t.experiment_id = e.id
            WHERE e.id = ANY(\(ids))
            """, prepared: LoadExperiments.self)
        for row in rows {
            let (id, name, description, status, lifecycle, createdAt, updatedAt, runCount, lastRunAt, location) =
                try row.decode((Int64, String, String?, String, String, Int64, Int64, Int, Int64?, String?).self)
            let cells = row.makeRandomAccess()
            let (tagIDs, keys, values) = try (
                cells[10].decode([Int64].self), cells[11].decode([String].self), cells[12].decode([String].self)
            )
            let tags = zip(tagIDs, zip(keys, values)).map { Tag(id: $0, key: $1.0, value: $1.1) }
            byID[id] = Experiment(
                id: id, name: name, description: description, status: ExperimentStatus(rawValue: status) ?? .running,
                lifecycle: Lifecycle(rawValue: lifecycle) ?? .active, tags: tags, createdAt: createdAt,
                updatedAt: updatedAt, runCount: runCount, lastRunAt: lastRunAt, artifactLocation: location)
        }
        return ids.compactMap { byID[$0] }
    }

    /// Throws ``LablogError/notFound(_:_:)`` unless the experiment exists (in either lifecycle state).
    static func requireExperiment(_ session: Session, id: ExperimentID) async throws {
        guard try await session.first("SELECT 1 FROM experiments WHERE id = \(id)") != nil else {
            throw LablogError.notFound(.experiment, String(id))
        }
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

private enum LoadExperiments: PreparedName {}
