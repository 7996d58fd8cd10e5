import GRDB
import LablogCore

/// The schema's history: append-only, each step with a stable name, applied in order in its own transaction.
enum Migrations {
    /// Every migration this build knows, oldest first. Never edit or reorder a shipped step; add a new one.
    static let all: [(name: String, migrate: @Sendable (Database) throws -> Void)] = [
        ("v1-initial-schema", initialSchema),
        ("v2-dataset-inputs", datasetInputs),
        ("v3-experiment-keys", experimentKeys),
        ("v4-metric-chunks", metricChunks),
        ("v5-search-indexes", searchIndexes),
    ]

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for step in all {
            migrator.registerMigration(step.name, migrate: step.migrate)
        }
        return migrator
    }

    /// Experiments, runs, params, tags, interned metric keys, histories and materialised latest values.
    ///
    /// Times are integer milliseconds since the Unix epoch. A NULL metric value is NaN (SQLite stores NaN as
    /// NULL); ±Infinity are stored as such.
    private static func initialSchema(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE experiments (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    description TEXT,
                    status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
                    lifecycle TEXT NOT NULL CHECK (lifecycle IN ('active', 'deleted')),
                    artifact_location TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    run_count INTEGER NOT NULL DEFAULT 0,
                    last_run_at INTEGER
                ) STRICT;
                CREATE INDEX experiments_by_created ON experiments (lifecycle, created_at, id);
                CREATE INDEX experiments_by_updated ON experiments (lifecycle, updated_at, id);
                CREATE INDEX experiments_by_name ON experiments (lifecycle, name, id);

                CREATE TABLE experiment_tags (
                    id INTEGER PRIMARY KEY,
                    experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    UNIQUE (experiment_id, key)
                ) STRICT;
                CREATE INDEX experiment_tags_by_key ON experiment_tags (key, value);

                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY,
                    uuid TEXT NOT NULL UNIQUE,
                    experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    status TEXT NOT NULL
                        CHECK (status IN ('RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED')),
                    start_time INTEGER NOT NULL,
                    end_time INTEGER,
                    lifecycle TEXT NOT NULL CHECK (lifecycle IN ('active', 'deleted')),
                    parent_run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL,
                    artifact_uri TEXT NOT NULL,
                    user_id TEXT NOT NULL
                ) STRICT;
                CREATE INDEX runs_by_experiment ON runs (experiment_id, lifecycle, start_time, id);
                CREATE INDEX runs_by_start ON runs (start_time);
                CREATE INDEX runs_by_parent ON runs (parent_run_id);

                CREATE TABLE params (
                    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (run_id, key)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX params_by_key ON params (key, value);

                CREATE TABLE run_tags (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    UNIQUE (run_id, key)
                ) STRICT;
                CREATE INDEX run_tags_by_key ON run_tags (key, value);

                CREATE TABLE metric_keys (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL UNIQUE
                ) STRICT;

                -- The bulk of the data: clustered by (run, key, step, timestamp, value), no rowid, no foreign
                -- key check per point (runs are purged together with their points). A point is its whole
                -- tuple, as in MLflow: an exact repeat is stored once, a different value at the same step and
                -- time is kept. SQLite cannot store NaN, so NaN is value 0 with is_nan 1.
                CREATE TABLE metric_points (
                    run_id INTEGER NOT NULL,
                    key_id INTEGER NOT NULL,
                    step INTEGER NOT NULL,
                    timestamp INTEGER NOT NULL,
                    value REAL NOT NULL,
                    is_nan INTEGER NOT NULL,
                    PRIMARY KEY (run_id, key_id, step, timestamp, value, is_nan)
                ) STRICT, WITHOUT ROWID;

                CREATE TABLE latest_metrics (
                    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                    key_id INTEGER NOT NULL REFERENCES metric_keys (id),
                    value REAL,
                    step INTEGER NOT NULL,
                    timestamp INTEGER NOT NULL,
                    PRIMARY KEY (run_id, key_id)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX latest_metrics_by_value ON latest_metrics (key_id, value);

                INSERT INTO experiments (id, name, description, status, lifecycle, artifact_location, created_at,
                                         updated_at)
                VALUES (0, 'Default', NULL, 'running', 'active', NULL,
                        unixepoch() * 1000, unixepoch() * 1000);
                """)
    }

    /// Datasets registered per experiment by (name, digest), and the runs that read them with their input tags.
    private static func datasetInputs(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE datasets (
                    id INTEGER PRIMARY KEY,
                    experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    digest TEXT NOT NULL,
                    source_type TEXT NOT NULL,
                    source TEXT NOT NULL,
                    schema TEXT,
                    profile TEXT,
                    UNIQUE (experiment_id, name, digest)
                ) STRICT;

                CREATE TABLE run_inputs (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                    dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
                    context TEXT,
                    UNIQUE (run_id, dataset_id, context)
                ) STRICT;
                CREATE INDEX run_inputs_by_dataset ON run_inputs (dataset_id);

                CREATE TABLE run_input_tags (
                    input_id INTEGER NOT NULL REFERENCES run_inputs (id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (input_id, key)
                ) STRICT, WITHOUT ROWID;
                """)
    }

    /// The param, metric and tag keys each experiment's runs have used, kept on write so the columns of a runs
    /// table come from an index instead of a scan of every run's params and tags. Filled from existing data.
    private static func experimentKeys(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE experiment_keys (
                    experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
                    kind TEXT NOT NULL CHECK (kind IN ('param', 'metric', 'tag')),
                    key TEXT NOT NULL,
                    PRIMARY KEY (kind, experiment_id, key)
                ) STRICT, WITHOUT ROWID;

                INSERT OR IGNORE INTO experiment_keys (experiment_id, kind, key)
                SELECT DISTINCT r.experiment_id, 'param', p.key FROM params p JOIN runs r ON r.id = p.run_id;
                INSERT OR IGNORE INTO experiment_keys (experiment_id, kind, key)
                SELECT DISTINCT r.experiment_id, 'metric', k.key
                FROM latest_metrics l JOIN runs r ON r.id = l.run_id JOIN metric_keys k ON k.id = l.key_id;
                INSERT OR IGNORE INTO experiment_keys (experiment_id, kind, key)
                SELECT DISTINCT r.experiment_id, 'tag', t.key FROM run_tags t JOIN runs r ON r.id = t.run_id;
                """)
    }

    /// Histories move from one row per point to chunks of points (see `ChunkTable`); existing points are
    /// rewritten series by series.
    private static func metricChunks(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE metric_chunk_points (
                    id INTEGER PRIMARY KEY,
                    points BLOB NOT NULL
                ) STRICT;

                -- One row per chunk: its summary (NULL values are NaN), clustered by series and position, and
                -- the row of its points, of which the first point_bytes are points (an open chunk's row has
                -- room to append in place). No foreign keys: runs are purged together with their histories.
                CREATE TABLE metric_chunks (
                    run_id INTEGER NOT NULL,
                    key_id INTEGER NOT NULL,
                    first_step INTEGER NOT NULL,
                    first_timestamp INTEGER NOT NULL,
                    first_value REAL,
                    last_step INTEGER NOT NULL,
                    last_timestamp INTEGER NOT NULL,
                    last_value REAL,
                    min_timestamp INTEGER NOT NULL,
                    max_timestamp INTEGER NOT NULL,
                    point_count INTEGER NOT NULL,
                    value_count INTEGER NOT NULL,
                    min_value REAL,
                    max_value REAL,
                    value_sum REAL,
                    points_id INTEGER NOT NULL,
                    point_bytes INTEGER NOT NULL,
                    PRIMARY KEY (run_id, key_id, first_step, first_timestamp)
                ) STRICT, WITHOUT ROWID;
                """)
        let rows = try Row.fetchCursor(
            db, sql: "SELECT run_id, key_id, step, timestamp, value, is_nan FROM metric_points ORDER BY run_id, key_id")
        var series: (runID: Int64, keyID: Int64)?
        var samples: [MetricSample] = []
        func flush() throws {
            guard let series else { return }
            try ChunkTable.append(db, runID: series.runID, keyID: series.keyID, samples: samples.sortedUnique())
            samples.removeAll(keepingCapacity: true)
        }
        while let row = try rows.next() {
            let runID: Int64 = row[0]
            let keyID: Int64 = row[1]
            if series.map({ $0.runID != runID || $0.keyID != keyID }) ?? true {
                try flush()
                series = (runID, keyID)
            }
            let isNaN: Bool = row[5]
            samples.append(MetricSample(step: row[2], timestamp: row[3], value: isNaN ? .nan : row[4]))
        }
        try flush()
        try db.execute(sql: "DROP TABLE metric_points")
    }
}
