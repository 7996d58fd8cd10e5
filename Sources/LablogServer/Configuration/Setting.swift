import Configuration

/// One setting of the server: its environment variable, its configuration key and its flag, if any.
enum Setting: CaseIterable {
    case databaseURL, host, port, logLevel, corsOrigins, maxRunsPerExperiment, seedOnStartup, secretKey
    case sessionTimeout, staticFileCache, chartColors, debug, artifactsDirectory

    /// The environment variable name, as the legacy tracker spelled it.
    var variable: String {
        switch self {
        case .databaseURL: "DATABASE_URL"
        case .host: "HOST"
        case .port: "PORT"
        case .logLevel: "LOG_LEVEL"
        case .corsOrigins: "CORS_ORIGINS"
        case .maxRunsPerExperiment: "MAX_RUNS_PER_EXPERIMENT"
        case .seedOnStartup: "SEED_ON_STARTUP"
        case .secretKey: "SECRET_KEY"
        case .sessionTimeout: "SESSION_TIMEOUT"
        case .staticFileCache: "STATIC_FILE_CACHE"
        case .chartColors: "CHART_COLORS"
        case .debug: "DEBUG"
        case .artifactsDirectory: "ARTIFACTS_DIR"
        }
    }

    /// The configuration key, derived from the variable so the two cannot drift apart:
    /// `DATABASE_URL` is `database.url`, which the environment provider encodes back to `DATABASE_URL`.
    var key: ConfigKey {
        ConfigKey(variable.lowercased().split(separator: "_").map(String.init))
    }

    /// The command-line flag that sets this value, if there is one.
    var flag: String? {
        switch self {
        case .databaseURL: "--database"
        case .host: "--host"
        case .port: "--port"
        case .logLevel: "--log-level"
        case .artifactsDirectory: "--artifacts-dir"
        default: nil
        }
    }

    /// Whether the value must stay out of logs and error messages.
    var isSecret: Bool { self == .secretKey }

    /// The value `flags` gives this setting, if any.
    func flagValue(in flags: ConfigurationFlags) -> String? {
        switch self {
        case .databaseURL: flags.database
        case .host: flags.host
        case .port: flags.port
        case .logLevel: flags.logLevel
        case .artifactsDirectory: flags.artifactsDirectory
        default: nil
        }
    }
}

extension ConfigurationFlags {
    /// The given flags as configuration values, for the highest-priority provider.
    var configValues: [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for setting in Setting.allCases {
            if let text = setting.flagValue(in: self) {
                values[AbsoluteConfigKey(setting.key)] = ConfigValue(.string(text), isSecret: false)
            }
        }
        return values
    }
}
