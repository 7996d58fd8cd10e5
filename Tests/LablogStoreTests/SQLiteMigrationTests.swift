import Foundation
import GRDB
import LablogCore
import Testing

@testable import LablogSQLite

@Suite("SQLite migrations")
struct SQLiteMigrationTests {
    private func temporaryPath() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lablog-migrations-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("lablog.db").path
    }

    @Test("the migration list is pinned: shipped steps are never renamed or reordered")
    func pinnedList() {
        #expect(
            SQLiteStore.knownMigrations == [
                "v1-initial-schema", "v2-dataset-inputs", "v3-experiment-keys", "v4-metric-chunks",
                "v5-search-indexes",
            ])
    }

    @Test("an empty database migrates to head, and migrating again is a no-op")
    func migratesEmptyDatabase() async throws {
        let path = try temporaryPath()
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        try await store.migrate()
        #expect(try await store.appliedMigrations() == SQLiteStore.knownMigrations)
        try await store.checkHealth()
        let reopened = try SQLiteStore(path: path)
        try await reopened.migrate()
        #expect(try await reopened.experiment(id: 0).name == "Default")
    }

    @Test("histories stored one row per point before v4 read back the same from chunks")
    func convertsPointRows() async throws {
        let path = try temporaryPath()
        let queue = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        for step in Migrations.all.prefix(3) {
            migrator.registerMigration(step.name, migrate: step.migrate)
        }
        try migrator.migrate(queue)
        let runID = String(repeating: "a", count: 32)
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (id, uuid, experiment_id, name, status, start_time, lifecycle, artifact_uri,
                                      user_id)
                    VALUES (1, ?, 0, 'old', 'FINISHED', 1, 'active', 'file:///tmp', 'me');
                    INSERT INTO metric_keys (id, key) VALUES (1, 'loss');
                    INSERT INTO latest_metrics VALUES (1, 1, 1249.5, 2499, 2509);
                    """, arguments: [runID])
            for step in 0..<2_500 {
                try db.execute(
                    sql: "INSERT INTO metric_points VALUES (1, 1, ?, ?, ?, ?)",
                    arguments: [step, 10 + step, step == 7 ? 0 : Double(step) / 2, step == 7 ? 1 : 0])
            }
        }
        try queue.close()
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        let page = try await store.metricHistory(
            runID: try #require(RunID(runID)), key: "loss", HistoryQuery(limit: 10_000))
        #expect(page.items.count == 2_500)
        #expect(page.items.map(\.step) == (0..<2_500).map(Int64.init))
        #expect(page.items[7].value.isNaN && page.items[8].value == 4 && page.items[2_499].timestamp == 2_509)
    }

    @Test("the database is in WAL mode with foreign keys on")
    func pragmas() async throws {
        let path = try temporaryPath()
        try await SQLiteStore(path: path).migrate()
        let queue = try DatabaseQueue(path: path)
        let mode = try await queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test("a database migrated by a newer Lablog is refused with a clear error")
    func refusesNewerSchema() async throws {
        let path = try temporaryPath()
        try await SQLiteStore(path: path).migrate()
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        let store = try SQLiteStore(path: path)
        await #expect {
            try await store.migrate()
        } throws: { error in
            guard case .storageUnavailable(let message) = error as? LablogError else { return false }
            return message.contains("v99-from-the-future") && message.contains("newer")
        }
    }

    @Test("a path that cannot be opened fails with storageUnavailable")
    func unopenable() {
        #expect(throws: LablogError.self) { _ = try SQLiteStore(path: "/nonexistent-dir/sub/lablog.db") }
    }
}
