import LablogCore
import Logging
import PostgresNIO

extension PostgresStore {
    /// Connects once (so an unreachable server, a wrong password or a missing database is reported at once,
    /// naming the server), then applies pending migrations, each in its own transaction. Refuses a database
    /// whose schema has migrations this build does not know. Several processes may migrate at once: an advisory
    /// lock held by each step's transaction lets one apply it while the others wait and then skip it.
    public func migrate() async throws {
        try await migrate(steps: PostgresMigrations.all.count)
    }

    /// Applies the first `steps` migrations (tests start from an older schema this way).
    func migrate(steps: Int) async throws {
        try await checkConnection()
        try await write { session in
            try await session.execute(self.lockMigrations)
            if let schema = self.location.schema {
                try await session.execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"))
            }
            try await session.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version TEXT PRIMARY KEY,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """)
            let known = Set(PostgresMigrations.all.map(\.name))
            let unknown = try await Self.appliedMigrations(session).filter { !known.contains($0) }
            guard unknown.isEmpty else {
                throw LablogError.storageUnavailable(
                    "the database schema at \(self.location) is newer than this build of Lablog understands (unknown "
                        + "migrations: \(unknown.sorted().joined(separator: ", "))); upgrade Lablog")
            }
        }
        for step in PostgresMigrations.all.prefix(steps) {
            try await write { session in
                try await session.execute(self.lockMigrations)
                let applied = try await session.first(
                    "SELECT 1 FROM schema_migrations WHERE version = \(step.name)")
                guard applied == nil else { return }
                try await step.apply(session)
                try await session.execute("INSERT INTO schema_migrations (version) VALUES (\(step.name))")
            }
        }
    }

    /// The names of the migrations applied to the database, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await read { session in try await Self.appliedMigrations(session) }
    }

    /// The names of every migration this build knows, oldest first.
    public static var knownMigrations: [String] { PostgresMigrations.all.map(\.name) }

    private static func appliedMigrations(_ session: Session) async throws -> [String] {
        var names: [String] = []
        let rows = try await session.rows("SELECT version FROM schema_migrations ORDER BY applied_at, version")
        for try await name in rows.decode(String.self) {
            names.append(name)
        }
        return names
    }

    /// Serialises migrations across processes for the rest of the transaction. The key names the schema, so
    /// schemas migrated side by side do not wait for each other.
    private var lockMigrations: PostgresQuery {
        "SELECT pg_advisory_xact_lock(hashtext(\("lablog-migrations:" + (location.schema ?? ""))))"
    }

    /// Runs a real query against the schema.
    public func checkHealth() async throws {
        try await read { session in
            _ = try await session.first("SELECT count(*) FROM experiments WHERE id = 0")
        }
    }

    /// Opens one connection outside the pool and runs `SELECT 1`, so start-up fails fast with the real cause
    /// (the pool would keep retrying quietly).
    private func checkConnection() async throws {
        if let cause = await probeServer() {
            throw LablogError.storageUnavailable("cannot connect to PostgreSQL at \(location): \(cause)")
        }
    }
}
