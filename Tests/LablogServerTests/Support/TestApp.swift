import Hummingbird
import HummingbirdTesting
import LablogCore
import LablogSQLite
import LablogServer
import Logging

/// Runs `body` against the real application on a fresh in-memory store, through the router (no sockets).
func withTestApp<Value>(
    configuration: ServerConfiguration = ServerConfiguration(port: 0, seedEnabled: true),
    environment: StoreEnvironment = StoreEnvironment(),
    _ body: @Sendable (any TestClientProtocol, any TrackingStore) async throws -> Value
) async throws -> Value {
    let store = try SQLiteStore.inMemory(environment: environment)
    return try await withTestApp(configuration: configuration, store: store, body)
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
