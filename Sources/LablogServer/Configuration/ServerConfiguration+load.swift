import Configuration
import Foundation
import Logging
import SystemPackage

extension ServerConfiguration {
    /// Builds the configuration from flags, environment variables, a `.env` file and defaults, in that order of
    /// priority, parsing every value strictly.
    ///
    /// Settings and their defaults: `DATABASE_URL` (`sqlite://./lablog.db`), `HOST` (`127.0.0.1`), `PORT`
    /// (8000), `LOG_LEVEL` (`info`), `CORS_ORIGINS` (none: same origin only), `MAX_RUNS_PER_EXPERIMENT`
    /// (10000; 0 = unlimited), `SEED_ON_STARTUP` (false), `SECRET_KEY` (none), `SESSION_TIMEOUT` (86400 s),
    /// `STATIC_FILE_CACHE` (3600 s), `CHART_COLORS` (a built-in palette), `DEBUG` (false), `ARTIFACTS_DIR`
    /// (`lablog-artifacts` beside the database file). An empty value counts as unset.
    /// - Parameters:
    ///   - flags: the command-line flags, the highest priority.
    ///   - environment: the process environment (tests pass a dictionary).
    ///   - environmentFilePath: a `.env` file to read when it exists; nil reads none.
    /// - Throws: ``ConfigurationError`` naming the first variable or flag whose value is invalid.
    public static func load(
        flags: ConfigurationFlags = ConfigurationFlags(), environment: [String: String],
        environmentFilePath: String? = nil
    ) async throws -> ServerConfiguration {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: flags.configValues),
            EnvironmentVariablesProvider(
                environmentVariables: environment, secretsSpecifier: .specific([Setting.secretKey.variable])),
        ]
        if let environmentFilePath {
            do {
                providers.append(
                    try await EnvironmentVariablesProvider(
                        environmentFilePath: FilePath(environmentFilePath), allowMissing: true,
                        secretsSpecifier: .specific([Setting.secretKey.variable])))
            } catch {
                throw ConfigurationError(message: "Cannot read the environment file '\(environmentFilePath)': \(error)")
            }
        }
        let settings = SettingsReader(reader: ConfigReader(providers: providers), flags: flags)
        return try settings.configuration()
    }
}

/// Reads each setting as text and parses it, naming the variable (or flag) when the value is refused.
private struct SettingsReader {
    let reader: ConfigReader
    let flags: ConfigurationFlags

    func configuration() throws -> ServerConfiguration {
        let defaults = ServerConfiguration()
        let seedOnStartup = try value(.seedOnStartup, default: false, SettingParsers.bool)
        let debug = try value(.debug, default: false, SettingParsers.bool)
        return ServerConfiguration(
            host: try value(.host, default: defaults.host, SettingParsers.host),
            port: try value(.port, default: defaults.port, SettingParsers.port),
            seedEnabled: flags.enableSeed || seedOnStartup || debug,
            seedOnStartup: seedOnStartup,
            maxRunsPerExperiment: try value(.maxRunsPerExperiment, default: defaults.maxRunsPerExperiment) {
                try SettingParsers.count($0, unit: "runs (0 means unlimited)", allowsZero: true)
            },
            database: try value(.databaseURL, default: defaults.database, SettingParsers.database),
            logLevel: try value(.logLevel, default: defaults.logLevel, SettingParsers.logLevel),
            corsOrigins: try value(.corsOrigins, default: defaults.corsOrigins, SettingParsers.corsOrigins),
            secretKey: try value(.secretKey, default: nil) { $0 },
            sessionTimeout: try value(.sessionTimeout, default: defaults.sessionTimeout) {
                try SettingParsers.count($0, unit: "seconds", allowsZero: false)
            },
            staticFileCache: try value(.staticFileCache, default: defaults.staticFileCache) {
                try SettingParsers.count($0, unit: "seconds", allowsZero: true)
            },
            chartColors: try value(.chartColors, default: defaults.chartColors, SettingParsers.chartColors),
            debug: debug,
            artifactsDirectory: try value(.artifactsDirectory, default: nil, SettingParsers.directory)
        )
    }

    /// The parsed value of `setting`, or `defaultValue` when no source sets it.
    private func value<Value>(
        _ setting: Setting, default defaultValue: Value, _ parse: (String) throws -> Value
    ) throws -> Value {
        let fromFlag = setting.flagValue(in: flags) != nil
        let name = fromFlag ? setting.flag ?? setting.variable : setting.variable
        guard let raw = reader.string(forKey: setting.key, isSecret: setting.isSecret) else { return defaultValue }
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            // An empty variable is the usual way to unset one in compose files; an empty flag is a typo.
            guard !fromFlag else { throw ConfigurationError(setting: name, value: nil, expected: "must not be empty") }
            return defaultValue
        }
        do {
            return try parse(text)
        } catch let expected as Expected {
            let shown = setting.isSecret ? nil : SettingParsers.redactingCredentials(text)
            throw ConfigurationError(setting: name, value: shown, expected: expected.text)
        }
    }
}
