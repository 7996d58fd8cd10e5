/// The command-line flags that configure the server: the highest-priority source of settings.
///
/// Values are kept as the text the user typed so that flags, environment variables and the `.env` file all go
/// through the same strict parsing.
public struct ConfigurationFlags: Sendable, Equatable {
    /// `--host`.
    public var host: String?
    /// `--port`.
    public var port: String?
    /// `--database`: a database URL or a plain file path.
    public var database: String?
    /// `--log-level`.
    public var logLevel: String?
    /// `--enable-seed`: allows `POST /api/seed`.
    public var enableSeed: Bool
    /// `--artifacts-dir`: the folder of artifact files.
    public var artifactsDirectory: String?

    /// Makes a flag set; nil means the flag was not given.
    public init(
        host: String? = nil, port: String? = nil, database: String? = nil, logLevel: String? = nil,
        enableSeed: Bool = false, artifactsDirectory: String? = nil
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.logLevel = logLevel
        self.enableSeed = enableSeed
        self.artifactsDirectory = artifactsDirectory
    }
}
