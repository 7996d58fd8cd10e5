import Dispatch
import GRDB
import LablogCore

extension SQLiteStore {
    /// Applies pending migrations; refuses a database whose schema is newer than this build knows.
    public func migrate() async throws {
        try await perform {
            try await writer.write { db in
                let known = Set(Migrations.all.map(\.name))
                let applied = try Migrations.migrator().appliedIdentifiers(db)
                let unknown = applied.subtracting(known)
                guard unknown.isEmpty else {
                    throw LablogError.storageUnavailable(
                        "the database schema is newer than this build of Lablog understands (unknown migrations: "
                            + unknown.sorted().joined(separator: ", ") + "); upgrade Lablog")
                }
            }
            let writer = self.writer
            // GRDB's migrator is synchronous: run it on a dispatch queue, not on a cooperative thread.
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                DispatchQueue.global().async {
                    continuation.resume(with: Result { try Migrations.migrator().migrate(writer) })
                }
            }
        }
    }

    /// The names of the migrations applied to the database, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await writer.read { db in
            let applied = try Migrations.migrator().appliedMigrations(db)
            return applied
        }
    }

    /// The names of every migration this build knows, oldest first.
    public static var knownMigrations: [String] { Migrations.all.map(\.name) }

    /// Runs `SELECT 1` and checks the schema is present.
    public func checkHealth() async throws {
        try await perform {
            try await writer.read { db in
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM experiments WHERE id = 0")
            }
        }
    }

    /// Runs `body`, turning SQLite's failures into domain errors: constraint violations become
    /// ``LablogError/alreadyExists(_:)`` when the caller did not check first, and I/O, busy or corruption
    /// errors become ``LablogError/storageUnavailable(_:)``.
    func perform<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatabaseError {
            switch error.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_FULL, .SQLITE_CORRUPT,
                .SQLITE_NOTADB, .SQLITE_READONLY, .SQLITE_PROTOCOL:
                throw LablogError.storageUnavailable(error.message ?? "\(error.resultCode)")
            default:
                throw error
            }
        }
    }
}
