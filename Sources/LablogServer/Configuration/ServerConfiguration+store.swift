public import LablogCore
import LablogSQLite

extension ServerConfiguration {
    /// Opens the store the configuration points at, with the configured limits. Call `migrate()` before use.
    /// - Throws: ``LablogError/storageUnavailable(_:)`` when the database cannot be opened.
    public func openStore() throws -> any TrackingStore {
        switch database {
        case .sqliteFile(let path): try SQLiteStore(path: path, environment: storeEnvironment)
        case .sqliteMemory: try SQLiteStore.inMemory(environment: storeEnvironment)
        }
    }
}
