import ArgumentParser
import Hummingbird
import LablogServer
import Logging

/// `lablog serve`: migrates the database and runs the server until SIGINT or SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Lablog server.")

    @Option(help: "The address to listen on (HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "The port to listen on; 0 picks a free one (PORT; default 8000).")
    var port: String?

    @OptionGroup var database: DatabaseOption

    @Flag(help: "Allow POST /api/seed to create the demo data set.")
    var enableSeed = false

    @Option(help: "trace, debug, info, notice, warning, error or critical (LOG_LEVEL; default info).")
    var logLevel: String?

    @Option(
        name: .customLong("artifacts-dir"),
        help: ArgumentHelp(
            "The folder of artifact files, created if missing (ARTIFACTS_DIR; default lablog-artifacts beside "
                + "the database).",
            valueName: "path"))
    var artifactsDirectory: String?

    func run() async throws {
        let flags = ConfigurationFlags(
            host: host, port: port, database: database.database, logLevel: logLevel, enableSeed: enableSeed,
            artifactsDirectory: artifactsDirectory)
        let startup = try await Startup(flags: flags)
        try await startup.reportingFailures { try startup.configuration.prepareArtifactsDirectory(flags: flags) }
        let logger = startup.logger
        let configuration = startup.configuration
        if !configuration.listensOnLoopbackOnly {
            logger.warning(
                """
                Listening on \(configuration.host), beyond this machine: anyone who can reach it can read and \
                change all data
                """
            )
        }
        logger.info("Starting Lablog \(LablogVersion.current) on \(configuration.host):\(configuration.port)")
        logger.debug("Configuration: \(configuration)")
        let app = try buildApplication(configuration: configuration, store: try startup.openStore(), logger: logger)
        try await startup.reportingFailures { try await app.runService() }
    }
}
