import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process of the test, with its standard output and error captured to files.
///
/// Files rather than pipes: a chatty server can never block on a full pipe that nobody reads.
final class ChildProcess: Sendable {
    /// How a child process ended.
    struct Termination: Sendable, Equatable, CustomStringConvertible {
        /// The exit code, or the signal number when `bySignal` is true.
        var status: Int32
        var bySignal: Bool

        var description: String { bySignal ? "killed by signal \(status)" : "exit code \(status)" }
    }

    /// The configuration variables Lablog reads; the tests clear them so the developer's shell cannot change
    /// what a test observes.
    static let configurationVariables = [
        "DATABASE_URL", "PORT", "HOST", "LOG_LEVEL", "CORS_ORIGINS", "MAX_RUNS_PER_EXPERIMENT", "SEED_ON_STARTUP",
        "SECRET_KEY", "SESSION_TIMEOUT", "STATIC_FILE_CACHE", "CHART_COLORS", "DEBUG",
    ]

    private let process: Process
    let standardOutputURL: URL
    let standardErrorURL: URL

    /// Starts `executable` with `arguments` in `workingDirectory`.
    /// - Parameter environment: variables set on top of the test's environment, less Lablog's own variables.
    init(
        executable: URL, arguments: [String], environment: [String: String] = [:], workingDirectory: URL,
        logName: String
    ) throws {
        let unique = UUID().uuidString.prefix(8).lowercased()
        standardOutputURL = workingDirectory.appendingPathComponent("\(logName)-\(unique).stdout.log")
        standardErrorURL = workingDirectory.appendingPathComponent("\(logName)-\(unique).stderr.log")
        let fileManager = FileManager.default
        guard
            fileManager.createFile(atPath: standardOutputURL.path, contents: nil),
            fileManager.createFile(atPath: standardErrorURL.path, contents: nil)
        else {
            throw EndToEndFailure("Could not create log files in \(workingDirectory.path)")
        }

        var childEnvironment = ProcessInfo.processInfo.environment
        for name in Self.configurationVariables {
            childEnvironment[name] = nil
        }
        childEnvironment.merge(environment) { _, new in new }

        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = childEnvironment
        process.currentDirectoryURL = workingDirectory
        process.standardInput = FileHandle.nullDevice
        let output = try FileHandle(forWritingTo: standardOutputURL)
        let error = try FileHandle(forWritingTo: standardErrorURL)
        process.standardOutput = output
        process.standardError = error
        try process.run()
        try? output.close()
        try? error.close()
    }

    var processIdentifier: Int32 { process.processIdentifier }

    var isRunning: Bool { process.isRunning }

    /// Everything the process wrote to standard output so far.
    var standardOutput: String { (try? String(contentsOf: standardOutputURL, encoding: .utf8)) ?? "" }

    /// Everything the process wrote to standard error so far.
    var standardError: String { (try? String(contentsOf: standardErrorURL, encoding: .utf8)) ?? "" }

    /// Sends `signal` (for example `SIGTERM` or `SIGKILL`) to the process.
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end.
    /// - Throws: ``EndToEndFailure`` when it is still running after `timeout`.
    func waitForExit(timeout: Duration) async throws -> Termination {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                throw EndToEndFailure("The process \(processIdentifier) was still running after \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        return Termination(
            status: process.terminationStatus, bySignal: process.terminationReason == .uncaughtSignal)
    }

    /// Kills the process if it is still running; used on every exit path so no test leaves a server behind.
    func forceStop() {
        guard process.isRunning else { return }
        send(SIGKILL)
        process.waitUntilExit()
    }
}

/// Runs `lablog` with `arguments` to completion and returns what it printed.
func runLablog(
    _ arguments: [String], environment: [String: String] = [:], in workspace: Workspace,
    timeout: Duration = .seconds(60)
) async throws -> (termination: ChildProcess.Termination, standardOutput: String, standardError: String) {
    let child = try ChildProcess(
        executable: try LablogBinary.url(), arguments: arguments, environment: environment,
        workingDirectory: workspace.url, logName: "lablog")
    defer { child.forceStop() }
    let termination = try await child.waitForExit(timeout: timeout)
    return (termination, child.standardOutput, child.standardError)
}
