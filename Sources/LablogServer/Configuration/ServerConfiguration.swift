public import LablogCore
public import Logging

/// Everything the server needs, built and validated once at start.
///
/// Build it with ``load(flags:environment:environmentFilePath:)``, which reads flags, environment variables,
/// a `.env` file and defaults, in that order of priority. Nothing else in Lablog reads the environment.
public struct ServerConfiguration: Sendable, Equatable {
    /// The address to listen on (`HOST`, `--host`).
    public var host: String
    /// The TCP port to listen on; 0 picks a free port (`PORT`, `--port`).
    public var port: Int
    /// Whether `POST /api/seed` is allowed (`--enable-seed`, `SEED_ON_STARTUP` or `DEBUG`).
    public var seedEnabled: Bool
    /// Whether to seed the demo data at start (`SEED_ON_STARTUP`).
    public var seedOnStartup: Bool
    /// The most runs an experiment may hold; 0 means unlimited (`MAX_RUNS_PER_EXPERIMENT`).
    public var maxRunsPerExperiment: Int
    /// Where the tracking data lives (`DATABASE_URL`, `--database`).
    public var database: DatabaseLocation
    /// The lowest level that is logged (`LOG_LEVEL`, `--log-level`).
    public var logLevel: Logger.Level
    /// The origins browsers may call the API from (`CORS_ORIGINS`).
    public var corsOrigins: CORSOrigins
    /// The key that signs sessions, when one is configured (`SECRET_KEY`).
    public var secretKey: String?
    /// How long a session lasts, in seconds (`SESSION_TIMEOUT`).
    public var sessionTimeout: Int
    /// The `Cache-Control` max-age of static files, in seconds (`STATIC_FILE_CACHE`).
    public var staticFileCache: Int
    /// The palette of charts, as lowercase `#rrggbb` colours (`CHART_COLORS`).
    public var chartColors: [String]
    /// Debug mode (`DEBUG`): enables seeding.
    public var debug: Bool
    /// The folder that holds every run's artifact files (`ARTIFACTS_DIR`, `--artifacts-dir`); by default
    /// `lablog-artifacts` beside the database file (see ``defaultArtifactsDirectory(for:)``).
    public var artifactsDirectory: String

    /// Makes a configuration; every default is the documented one, and a nil `artifactsDirectory` is the default for
    /// `database`.
    public init(
        host: String = "127.0.0.1", port: Int = 8000, seedEnabled: Bool = false, seedOnStartup: Bool = false,
        maxRunsPerExperiment: Int = 10_000, database: DatabaseLocation = .defaultFile, logLevel: Logger.Level = .info,
        corsOrigins: CORSOrigins = .sameOrigin, secretKey: String? = nil, sessionTimeout: Int = 86_400,
        staticFileCache: Int = 3600, chartColors: [String] = ServerConfiguration.defaultChartColors,
        debug: Bool = false, artifactsDirectory: String? = nil
    ) {
        self.host = host
        self.port = port
        self.seedEnabled = seedEnabled
        self.seedOnStartup = seedOnStartup
        self.maxRunsPerExperiment = maxRunsPerExperiment
        self.database = database
        self.logLevel = logLevel
        self.corsOrigins = corsOrigins
        self.secretKey = secretKey
        self.sessionTimeout = sessionTimeout
        self.staticFileCache = staticFileCache
        self.chartColors = chartColors
        self.debug = debug
        self.artifactsDirectory = artifactsDirectory ?? Self.defaultArtifactsDirectory(for: database)
    }

    /// The palette used when `CHART_COLORS` is not set.
    public static let defaultChartColors = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    ]

    /// The store environment these settings call for: the system clock, random run ids and the run limit.
    public var storeEnvironment: StoreEnvironment {
        StoreEnvironment(maxRunsPerExperiment: maxRunsPerExperiment)
    }

    /// Whether the server only accepts connections from this machine.
    public var listensOnLoopbackOnly: Bool {
        ["127.0.0.1", "localhost", "::1"].contains(host.lowercased()) || host.hasPrefix("127.")
    }
}

extension ServerConfiguration: CustomStringConvertible {
    /// The settings for a start-up log line, with the secret key masked.
    public var description: String {
        let origins: String =
            switch corsOrigins {
            case .sameOrigin: "same origin"
            case .any: "*"
            case .list(let list): list.joined(separator: ",")
            }
        return "database=\(database) host=\(host) port=\(port) log_level=\(logLevel) cors_origins=\(origins) "
            + "max_runs_per_experiment=\(maxRunsPerExperiment) seed_enabled=\(seedEnabled) "
            + "seed_on_startup=\(seedOnStartup) secret_key=\(secretKey == nil ? "unset" : "set") "
            + "session_timeout=\(sessionTimeout) static_file_cache=\(staticFileCache) debug=\(debug) "
            + "artifacts_dir=\(artifactsDirectory)"
    }
}
