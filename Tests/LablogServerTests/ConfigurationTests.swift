import Foundation
import LablogCore
import LablogPostgres
import LablogServer
import Logging
import Testing

@Suite("Server configuration")
struct ConfigurationTests {
    private func load(
        flags: ConfigurationFlags = ConfigurationFlags(), _ environment: [String: String] = [:],
        envFile: String? = nil
    ) async throws -> ServerConfiguration {
        guard let envFile else { return try await ServerConfiguration.load(flags: flags, environment: environment) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lablog-\(UUID().uuidString).env")
        try envFile.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await ServerConfiguration.load(
            flags: flags, environment: environment, environmentFilePath: url.path)
    }

    private func loadError(
        flags: ConfigurationFlags = ConfigurationFlags(), _ environment: [String: String] = [:]
    ) async throws -> ConfigurationError {
        let error = await #expect(throws: ConfigurationError.self) {
            try await ServerConfiguration.load(flags: flags, environment: environment)
        }
        return try #require(error)
    }

    @Test("With nothing set, every setting has its documented default")
    func defaults() async throws {
        let configuration = try await load()
        #expect(configuration == ServerConfiguration())
        #expect(configuration.database == .sqliteFile(path: "./lablog.db"))
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8000)
        #expect(configuration.logLevel == .info)
        #expect(configuration.corsOrigins == .sameOrigin)
        #expect(configuration.maxRunsPerExperiment == 10_000)
        #expect(!configuration.seedOnStartup && !configuration.seedEnabled && !configuration.debug)
        #expect(configuration.secretKey == nil)
        #expect(configuration.sessionTimeout == 86_400)
        #expect(configuration.staticFileCache == 3600)
        #expect(configuration.chartColors == ServerConfiguration.defaultChartColors)
        #expect(configuration.storeEnvironment.maxRunsPerExperiment == 10_000)
        #expect(configuration.artifactsDirectory == "./lablog-artifacts")
    }

    @Test("Every variable is read from the environment")
    func everyVariable() async throws {
        let configuration = try await load([
            "DATABASE_URL": "sqlite:///var/lib/lablog/data.db", "HOST": "0.0.0.0", "PORT": "9000",
            "LOG_LEVEL": "DEBUG", "CORS_ORIGINS": "https://a.example, http://b.example:3000/",
            "MAX_RUNS_PER_EXPERIMENT": "0", "SEED_ON_STARTUP": "yes", "SECRET_KEY": "s3cret-value",
            "SESSION_TIMEOUT": "600", "STATIC_FILE_CACHE": "0", "CHART_COLORS": "#FF0000, #00ff00", "DEBUG": "off",
            "ARTIFACTS_DIR": "/srv/artifacts",
        ])
        let expected = ServerConfiguration(
            host: "0.0.0.0", port: 9000, seedEnabled: true, seedOnStartup: true, maxRunsPerExperiment: 0,
            database: .sqliteFile(path: "/var/lib/lablog/data.db"), logLevel: .debug,
            corsOrigins: .list(["https://a.example", "http://b.example:3000"]), secretKey: "s3cret-value",
            sessionTimeout: 600, staticFileCache: 0, chartColors: ["#ff0000", "#00ff00"], debug: false,
            artifactsDirectory: "/srv/artifacts")
        #expect(configuration == expected)
        #expect(configuration.storeEnvironment.maxRunsPerExperiment == 0)
    }

    @Test("Flags beat environment variables, which beat the .env file, which beats the defaults")
    func precedence() async throws {
        let envFile = "PORT=7000\nHOST=0.0.0.0\nLOG_LEVEL=error\nDATABASE_URL=sqlite://from-file.db\n"
        let fileOnly = try await load(envFile: envFile)
        #expect(fileOnly.port == 7000)
        #expect(fileOnly.host == "0.0.0.0")
        #expect(fileOnly.logLevel == .error)
        #expect(fileOnly.database == .sqliteFile(path: "from-file.db"))

        let environment = ["PORT": "7100", "LOG_LEVEL": "warning"]
        let envAndFile = try await load(environment, envFile: envFile)
        #expect(envAndFile.port == 7100)
        #expect(envAndFile.logLevel == .warning)
        #expect(envAndFile.host == "0.0.0.0")

        let flags = ConfigurationFlags(port: "7200", database: "flag.db", artifactsDirectory: "flag-artifacts")
        let all = try await load(flags: flags, environment, envFile: envFile)
        #expect(all.artifactsDirectory == "flag-artifacts")
        #expect(all.port == 7200)
        #expect(all.database == .sqliteFile(path: "flag.db"))
        #expect(all.logLevel == .warning)
        #expect(all.host == "0.0.0.0")
        #expect(all.sessionTimeout == 86_400)
    }

    @Test("A missing .env file is not an error")
    func missingEnvironmentFile() async throws {
        let configuration = try await ServerConfiguration.load(
            environment: [:], environmentFilePath: "/nonexistent/lablog/.env")
        #expect(configuration == ServerConfiguration())
    }

    @Test("An empty variable counts as unset, an empty flag is refused")
    func emptyValues() async throws {
        #expect(try await load(["PORT": "", "LOG_LEVEL": "  "]).port == 8000)
        let error = try await loadError(flags: ConfigurationFlags(port: ""))
        #expect(error.setting == "--port")
    }

    @Test(
        "Seeding is enabled by --enable-seed, SEED_ON_STARTUP or DEBUG",
        arguments: [
            (ConfigurationFlags(enableSeed: true), [String: String](), true, false),
            (ConfigurationFlags(), ["SEED_ON_STARTUP": "true"], true, true),
            (ConfigurationFlags(), ["DEBUG": "1"], true, false),
            (ConfigurationFlags(), ["DEBUG": "false", "SEED_ON_STARTUP": "0"], false, false),
        ])
    func seeding(flags: ConfigurationFlags, environment: [String: String], enabled: Bool, onStartup: Bool)
        async throws
    {
        let configuration = try await load(flags: flags, environment)
        #expect(configuration.seedEnabled == enabled)
        #expect(configuration.seedOnStartup == onStartup)
    }

    @Test(
        "An invalid value stops start-up with a message naming the variable and the value",
        arguments: [
            ("PORT", "abc", "Invalid PORT 'abc': expected an integer between 0 and 65535"),
            ("PORT", "70000", "Invalid PORT '70000': expected an integer between 0 and 65535"),
            ("PORT", "-1", "Invalid PORT '-1': expected an integer between 0 and 65535"),
            ("HOST", "my host", "Invalid HOST 'my host'"),
            ("LOG_LEVEL", "loud", "Invalid LOG_LEVEL 'loud': expected one of trace, debug, info"),
            ("CORS_ORIGINS", "example.com", "Invalid CORS_ORIGINS 'example.com': 'example.com' is not an origin"),
            ("CORS_ORIGINS", "*,https://a.example", "Invalid CORS_ORIGINS '*,https://a.example': '*' is not"),
            ("CORS_ORIGINS", "https://a.example/path", "Invalid CORS_ORIGINS 'https://a.example/path'"),
            ("MAX_RUNS_PER_EXPERIMENT", "-5", "Invalid MAX_RUNS_PER_EXPERIMENT '-5': expected a whole number"),
            ("MAX_RUNS_PER_EXPERIMENT", "lots", "Invalid MAX_RUNS_PER_EXPERIMENT 'lots'"),
            ("SEED_ON_STARTUP", "maybe", "Invalid SEED_ON_STARTUP 'maybe': expected true or false"),
            ("DEBUG", "2", "Invalid DEBUG '2': expected true or false"),
            ("SESSION_TIMEOUT", "0", "Invalid SESSION_TIMEOUT '0': expected a whole number of seconds, 1 or more"),
            ("SESSION_TIMEOUT", "1.5", "Invalid SESSION_TIMEOUT '1.5'"),
            ("STATIC_FILE_CACHE", "-1", "Invalid STATIC_FILE_CACHE '-1': expected a whole number of seconds, 0"),
            ("CHART_COLORS", "#ff0000,red", "Invalid CHART_COLORS '#ff0000,red': 'red' is not a colour"),
            ("CHART_COLORS", "#ff00", "Invalid CHART_COLORS '#ff00'"),
            ("CHART_COLORS", "#ff0000,", "Invalid CHART_COLORS '#ff0000,': '' is not a colour"),
            ("DATABASE_URL", "mysql://localhost/db", "Invalid DATABASE_URL 'mysql://localhost/db': unsupported scheme"),
            ("DATABASE_URL", "sqlite://", "Invalid DATABASE_URL 'sqlite://': the database path is empty"),
        ])
    func invalidValue(variable: String, value: String, message: String) async throws {
        let error = try await loadError([variable: value])
        #expect(error.setting == variable)
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }

    @Test("A PostgreSQL URL selects PostgreSQL; its description never shows the password")
    func postgres() async throws {
        let configuration = try await load([
            "DATABASE_URL": "postgres://lablog:hunter2@db:6543/tracking?sslmode=require"
        ])
        guard case .postgres(let location) = configuration.database else {
            Issue.record("expected PostgreSQL, got \(configuration.database)")
            return
        }
        #expect(location.host == "db" && location.port == 6543 && location.database == "tracking")
        #expect(location.password == "hunter2" && location.tls == .require)
        #expect(configuration.database.description == "postgres://lablog@db:6543/tracking")
        #expect(!"\(configuration)".contains("hunter2"))
    }

    @Test("A malformed PostgreSQL URL fails at start, says why, and does not echo the password")
    func malformedPostgres() async throws {
        for url in ["postgres://lablog:hunter2@db:5432/lablog?sslmode=always", "postgresql://db/lablog"] {
            let error = try await loadError(["DATABASE_URL": url])
            #expect(error.setting == "DATABASE_URL")
            #expect(error.message.contains("PostgreSQL URL"), "\(error.message)")
            #expect(!error.message.contains("hunter2"), "\(error.message)")
        }
    }

    @Test("An invalid flag names the flag")
    func invalidFlags() async throws {
        let port = try await loadError(flags: ConfigurationFlags(port: "abc"), ["PORT": "9000"])
        #expect(port.message == "Invalid --port 'abc': expected an integer between 0 and 65535")
        let level = try await loadError(flags: ConfigurationFlags(logLevel: "loud"))
        #expect(level.setting == "--log-level")
        let database = try await loadError(flags: ConfigurationFlags(database: "postgres://db/x?sslmode=no"))
        #expect(database.setting == "--database")
    }

    @Test(
        "Database URLs and paths",
        arguments: [
            ("sqlite://./lablog.db", DatabaseLocation.sqliteFile(path: "./lablog.db")),
            ("sqlite://relative/path.db", .sqliteFile(path: "relative/path.db")),
            ("sqlite:///absolute/path.db", .sqliteFile(path: "/absolute/path.db")),
            ("sqlite:///./experiments.db", .sqliteFile(path: "./experiments.db")),
            ("sqlite:////srv/experiments.db", .sqliteFile(path: "/srv/experiments.db")),
            ("SQLite://data.db", .sqliteFile(path: "data.db")),
            ("sqlite::memory:", .sqliteMemory),
            ("sqlite://:memory:", .sqliteMemory),
            (":memory:", .sqliteMemory),
            ("plain/file.db", .sqliteFile(path: "plain/file.db")),
            ("/abs/file.db", .sqliteFile(path: "/abs/file.db")),
        ])
    func databaseLocations(text: String, expected: DatabaseLocation) async throws {
        #expect(try DatabaseLocation.parse(text).get() == expected)
        #expect(try await load(flags: ConfigurationFlags(database: text)).database == expected)
        #expect(try await load(["DATABASE_URL": text]).database == expected)
    }

    @Test("CORS_ORIGINS accepts '*' and lists of origins")
    func corsOrigins() async throws {
        #expect(try await load(["CORS_ORIGINS": "*"]).corsOrigins == .any)
        #expect(try await load(["CORS_ORIGINS": " * "]).corsOrigins == .any)
        let list = try await load(["CORS_ORIGINS": "HTTPS://UI.Example:8443,https://ui.example:8443"])
        #expect(list.corsOrigins == .list(["https://ui.example:8443"]))
    }

    @Test("Log levels are case-insensitive")
    func logLevels() async throws {
        for level in Logger.Level.allCases {
            #expect(try await load(["LOG_LEVEL": level.rawValue.uppercased()]).logLevel == level)
        }
    }

    @Test("Only loopback hosts count as local")
    func loopback() {
        #expect(ServerConfiguration(host: "127.0.0.1").listensOnLoopbackOnly)
        #expect(ServerConfiguration(host: "localhost").listensOnLoopbackOnly)
        #expect(ServerConfiguration(host: "::1").listensOnLoopbackOnly)
        #expect(!ServerConfiguration(host: "0.0.0.0").listensOnLoopbackOnly)
        #expect(!ServerConfiguration(host: "192.168.1.10").listensOnLoopbackOnly)
    }

    @Test(
        "Artifacts default to a folder beside the database file",
        arguments: [
            ("sqlite:///var/lib/lablog/data.db", "/var/lib/lablog/lablog-artifacts"),
            ("sqlite://./lablog.db", "./lablog-artifacts"),
            ("plain/file.db", "plain/lablog-artifacts"),
            ("data.db", "lablog-artifacts"),
            ("/data.db", "/lablog-artifacts"),
        ])
    func artifactsBesideDatabase(database: String, expected: String) async throws {
        #expect(try await load(["DATABASE_URL": database]).artifactsDirectory == expected)
        #expect(try await load(flags: ConfigurationFlags(database: database)).artifactsDirectory == expected)
    }

    @Test("An in-memory database keeps its artifacts in a temporary folder of this process")
    func artifactsOfMemoryDatabase() async throws {
        let directory = try await load(["DATABASE_URL": ":memory:"]).artifactsDirectory
        let temporary = FileManager.default.temporaryDirectory.path
        #expect(directory.hasPrefix(temporary), "\(directory)")
        #expect(directory.hasSuffix("/lablog-artifacts-\(ProcessInfo.processInfo.processIdentifier)"))
    }

    @Test("ARTIFACTS_DIR and --artifacts-dir choose the folder; the flag wins")
    func artifactsSetting() async throws {
        #expect(try await load(["ARTIFACTS_DIR": "/srv/a"]).artifactsDirectory == "/srv/a")
        #expect(try await load(envFile: "ARTIFACTS_DIR=from-file\n").artifactsDirectory == "from-file")
        let flags = ConfigurationFlags(artifactsDirectory: "/srv/flag")
        #expect(try await load(flags: flags, ["ARTIFACTS_DIR": "/srv/a"]).artifactsDirectory == "/srv/flag")
        #expect(try await load(["ARTIFACTS_DIR": ""]).artifactsDirectory == "./lablog-artifacts")
        let error = try await loadError(flags: ConfigurationFlags(artifactsDirectory: "a\u{0}b"))
        #expect(error.setting == "--artifacts-dir")
    }

    @Test("Preparing the artifact folder creates it, and refuses one that is a file or cannot be made")
    func prepareArtifacts() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("lablog-config-\(UUID())")
        defer { try? FileManager.default.removeItem(at: base) }
        let nested = base.appendingPathComponent("deep/er/artifacts")
        try ServerConfiguration(artifactsDirectory: nested.path).prepareArtifactsDirectory()
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: nested.path, isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(try FileManager.default.contentsOfDirectory(atPath: nested.path).isEmpty, "the write check cleans up")
        try ServerConfiguration(artifactsDirectory: nested.path).prepareArtifactsDirectory()

        let file = base.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        let notFolder = #expect(throws: ConfigurationError.self) {
            try ServerConfiguration(artifactsDirectory: file.path).prepareArtifactsDirectory()
        }
        #expect(notFolder?.setting == "ARTIFACTS_DIR")
        #expect(notFolder?.message == "Invalid ARTIFACTS_DIR '\(file.path)': it exists and is not a folder")

        let below = file.appendingPathComponent("artifacts").path
        let cannotCreate = #expect(throws: ConfigurationError.self) {
            try ServerConfiguration(artifactsDirectory: below)
                .prepareArtifactsDirectory(flags: ConfigurationFlags(artifactsDirectory: below))
        }
        #expect(cannotCreate?.setting == "--artifacts-dir")
        #expect(
            cannotCreate?.message.hasPrefix("Invalid --artifacts-dir '\(below)': the folder cannot be created") == true,
            "\(cannotCreate?.message ?? "")")
    }

    @Test("The description of a configuration never shows the secret key")
    func descriptionMasksSecret() {
        let configuration = ServerConfiguration(secretKey: "hunter2-secret")
        #expect(!configuration.description.contains("hunter2"))
        #expect(configuration.description.contains("secret_key=set"))
        #expect(configuration.description.hasSuffix(" artifacts_dir=./lablog-artifacts"))
    }
}
