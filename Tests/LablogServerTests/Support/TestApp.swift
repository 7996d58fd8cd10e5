import Foundation
import Hummingbird
import HummingbirdTesting
import LablogCore
import LablogPostgres
import LablogSQLite
import LablogServer
import Logging

/// Runs `body` against the real application on a fresh store, through the router (no sockets).
///
/// The store is an in-memory SQLite database, or, when `LABLOG_TEST_ROUTER_BACKEND=postgres`, a fresh schema of
/// the PostgreSQL database named by `LABLOG_TEST_POSTGRES_URL`, so the whole router suite runs on either backend.
func withTestApp<Value>(
    configuration: ServerConfiguration = ServerConfiguration(port: 0, seedEnabled: true),
    environment: StoreEnvironment = StoreEnvironment(),
    _ body: @Sendable (any TestClientProtocol, any TrackingStore) async throws -> Value
) async throws -> Value {
    let store = try await makeTestStore(environment: environment)
    return try await withTestApp(configuration: configuration, store: store, body)
}

/// A fresh, migrated store of the backend the router suite runs on.
func makeTestStore(environment: StoreEnvironment = StoreEnvironment()) async throws -> any TrackingStore {
    let variables = ProcessInfo.processInfo.environment
    guard variables["LABLOG_TEST_ROUTER_BACKEND"] == "postgres" else {
        return try SQLiteStore.inMemory(environment: environment)
    }
    guard let url = variables["LABLOG_TEST_POSTGRES_URL"], !url.isEmpty else {
        throw LablogError.storageUnavailable("LABLOG_TEST_ROUTER_BACKEND=postgres needs LABLOG_TEST_POSTGRES_URL")
    }
    var location = try PostgresLocation(url: url)
    location.schema = "router_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    let store = PostgresStore(location: location, environment: environment, maximumConnections: 2)
    try await store.migrate()
    return store
}

/// Runs `body` against the real application on the given store, through the router (no sockets).
func withTestApp<Value>(
    configuration: ServerConfiguration = ServerConfiguration(port: 0, seedEnabled: true),
    store: any TrackingStore,
    _ body: @Sendable (any TestClientProtocol, any TrackingStore) async throws -> Value
) async throws -> Value {
    var logger = Logger(label: "lablog-test")
    // Request lines would drown test output; warnings and errors still show.
    logger.logLevel = .warning
    let app = try buildApplication(configuration: configuration, store: store, logger: logger)
    return try await app.test(.router) { client in try await body(client, store) }
}
