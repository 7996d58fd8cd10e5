import GRDB
public import LablogCore

/// The embedded backend: one SQLite file in WAL mode (or an in-memory database for tests), through GRDB.
public final class SQLiteStore: Sendable {
    let writer: any DatabaseWriter
    let environment: StoreEnvironment
    private let commits: GroupCommit

    /// Opens (creating when missing) the database file at `path`. Call ``migrate()`` before use.
    /// - Parameters:
    ///   - path: the file path of the database.
    ///   - environment: clock, id source and limits.
    ///   - durableAgainstPowerLoss: `synchronous=FULL` instead of `NORMAL`. WAL with `NORMAL` already keeps
    ///     every committed transaction when the process is killed; `FULL` also survives power loss.
    /// - Throws: ``LablogError/storageUnavailable(_:)`` when the file cannot be opened.
    public init(path: String, environment: StoreEnvironment = StoreEnvironment(), durableAgainstPowerLoss: Bool = false)
        throws
    {
        var configuration = Self.baseConfiguration()
        configuration.prepareDatabase { db in
            try db.execute(sql: durableAgainstPowerLoss ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
        }
        do {
            writer = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw LablogError.storageUnavailable("cannot open SQLite database at '\(path)': \(error)")
        }
        self.environment = environment
        commits = GroupCommit(writer: writer)
    }

    private init(writer: any DatabaseWriter, environment: StoreEnvironment) {
        self.writer = writer
        self.environment = environment
        commits = GroupCommit(writer: writer)
    }

    /// Runs a write in a transaction shared with the writes waiting at the same time (see ``GroupCommit``).
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await commits.write(work)
    }

    /// A private in-memory database, for tests.
    public static func inMemory(environment: StoreEnvironment = StoreEnvironment()) throws -> SQLiteStore {
        SQLiteStore(writer: try DatabaseQueue(configuration: baseConfiguration()), environment: environment)
    }

    private static func baseConfiguration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        // Page caches are per connection: 16 MiB for the writer, 8 MiB for each of at most four readers, so the
        // caches together stay under 50 MiB however busy the server is.
        configuration.maximumReaderCount = 4
        configuration.prepareDatabase { db in
            try db.execute(sql: db.configuration.readonly ? "PRAGMA cache_size = -8000" : "PRAGMA cache_size = -16000")
        }
        return configuration
    }
}

extension SQLiteStore: TrackingStore {}
