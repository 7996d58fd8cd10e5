public import LablogCore
import LablogPostgres
import LablogSQLite
public import Logging

extension ServerConfiguration {
    /// Opens the store the configuration points at, with the configured limits. Call `migrate()` before use: for
    /// PostgreSQL it is also what connects first and reports an unreachable server.
    /// - Parameter logger: where a PostgreSQL store's connection pool logs.
    /// - Throws: ``LablogError/storageUnavailable(_:)`` when the database cannot be opened.
    public func openStore(logger: Logger = Logger(label: "lablog.postgres")) throws -> any TrackingStore {
        switch database {
        case .sqliteFile(let path): try SQLiteStore(path: path, environment: storeEnvironment)
        case .sqliteMemory: try SQLiteStore.inMemory(environment: storeEnvironment)
        case .postgres(let location): PostgresStore(location: location, environment: storeEnvironment, logger: logger)
        }
    }
}
