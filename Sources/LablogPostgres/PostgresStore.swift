public import LablogCore
public import Logging
import PostgresNIO

/// The shared backend: a PostgreSQL database reached through a pool of connections (PostgresNIO's
/// `PostgresClient`), so several Lablog processes can serve one database.
///
/// The store runs its connection pool itself, from creation until it is released or ``shutdown()`` is called,
/// so it needs no service group and can be made and dropped like the SQLite store. Every decision that two
/// processes could race on is taken by the database (unique constraints, `INSERT ... ON CONFLICT`, row locks),
/// never by a read followed by a write.
public final class PostgresStore: Sendable {
    let client: PostgresClient
    let environment: StoreEnvironment
    let logger: Logger
    /// How often an operation waiting for a pooled connection checks that the server is reachable.
    let connectionWait: Duration
    /// Whether the server was found unreachable, so requests fail fast instead of queueing.
    let gate = ConnectionGate()
    /// When to refresh the planner's statistics after bursts of new runs.
    let statistics = StatisticsUpkeep()
    /// Where the database is, for messages and for the schema name.
    public let location: PostgresLocation
    private let runner: Task<Void, Never>

    /// Makes a store for the database at `url` and starts its connection pool; no connection is opened until
    /// the first operation. Call ``migrate()`` before use: it also reports an unreachable server.
    /// - Parameters:
    ///   - url: `postgres://user:password@host:port/database`, see ``PostgresLocation``.
    ///   - environment: clock, id source and limits.
    ///   - maximumConnections: the most connections the pool opens.
    ///   - connectionWait: how often an operation waiting for a free connection checks the server; when it is
    ///     unreachable the operation fails with ``LablogError/storageUnavailable(_:)``.
    ///   - logger: where the pool logs connection trouble.
    /// - Throws: ``LablogError/invalidValue(field:reason:)`` for a malformed URL.
    public convenience init(
        url: String, environment: StoreEnvironment = StoreEnvironment(), maximumConnections: Int = 20,
        connectionWait: Duration = .seconds(2), logger: Logger = Logger(label: "lablog.postgres")
    ) throws {
        try self.init(
            location: PostgresLocation(url: url), environment: environment, maximumConnections: maximumConnections,
            connectionWait: connectionWait, logger: logger)
    }

    /// Makes a store for the database at `location` and starts its connection pool; the parameters are those
    /// of ``init(url:environment:maximumConnections:connectionWait:logger:)``.
    public init(
        location: PostgresLocation, environment: StoreEnvironment = StoreEnvironment(), maximumConnections: Int = 20,
        connectionWait: Duration = .seconds(2), logger: Logger = Logger(label: "lablog.postgres")
    ) {
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: Self.tls(location.tls))
        configuration.options.maximumConnections = max(1, maximumConnections)
        configuration.options.connectTimeout = .seconds(10)
        // Just-in-time compilation pays off for long analytic queries; Lablog's are short, and a count over a
        // large experiment can cross the planner's cost threshold and spend tens of milliseconds compiling.
        configuration.options.additionalStartupParameters = [("jit", "off")]
        if let schema = location.schema {
            configuration.options.additionalStartupParameters.append(("search_path", schema))
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.environment = environment
        self.logger = logger
        self.connectionWait = connectionWait
        self.location = location
        runner = Task { await client.run() }
    }

    deinit {
        runner.cancel()
    }

    /// Closes every connection; the store cannot be used afterwards.
    public func shutdown() async {
        runner.cancel()
        await runner.value
    }

    private static func tls(_ mode: PostgresLocation.TLSMode) -> PostgresClient.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable:
            return .disable
        case .prefer, .require:
            // libpq's `prefer` and `require` encrypt without authenticating the server.
            configuration.certificateVerification = .none
            return mode == .prefer ? .prefer(configuration) : .require(configuration)
        case .verifyCA:
            configuration.certificateVerification = .noHostnameVerification
            return .require(configuration)
        case .verifyFull:
            configuration.certificateVerification = .fullVerification
            return .require(configuration)
        }
    }
}

extension PostgresStore: TrackingStore {}
