import ArgumentParser
import Foundation
import LablogCore
import LablogServer
import Logging

/// What every command does first: build the configuration, set up logging, and report failures as one line.
struct Startup {
    let configuration: ServerConfiguration
    let logger: Logger

    /// Loads the configuration from `flags`, the environment and `./.env`; exits with one line on stderr when a
    /// setting is invalid.
    init(flags: ConfigurationFlags) async throws {
        do {
            configuration = try await ServerConfiguration.load(
                flags: flags, environment: ProcessInfo.processInfo.environment, environmentFilePath: ".env")
        } catch let error as ConfigurationError {
            throw Self.fail(error.message)
        }
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "lablog")
        logger.logLevel = level
        self.logger = logger
    }

    /// Opens the configured store; exits with one line on stderr when it cannot.
    func openStore() throws -> any TrackingStore {
        do {
            var poolLogger = logger
            poolLogger[metadataKey: "component"] = "postgres"
            return try configuration.openStore(logger: poolLogger)
        } catch let error as LablogError {
            throw Self.fail(error.message)
        }
    }

    /// Runs `body`, turning a failure into one line on stderr and a non-zero exit instead of a stack trace.
    func reportingFailures<Value>(_ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as LablogError {
            throw Self.fail(error.message)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw Self.fail("\(error)")
        }
    }

    /// Prints `message` to stderr and returns the exit code to throw.
    private static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("lablog: \(message)\n".utf8))
        return ExitCode.failure
    }
}
