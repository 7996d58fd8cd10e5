import Foundation
import GRDB
import LablogCore
import LablogSQLite
import Testing

@Suite("SQLite migrations")
struct SQLiteMigrationTests {
    private func temporaryPath() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lablog-migrations-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("lablog.db").path
    }

    @Test("the migration list is pinned: shipped steps are never renamed or reordered")
    func pinnedList() {
        #expect(SQLiteStore.knownMigrations == ["v1-initial-schema", "v2-dataset-inputs", "v3-experiment-keys"])
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
