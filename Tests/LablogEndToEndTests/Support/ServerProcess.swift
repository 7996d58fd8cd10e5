import Foundation
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `lablog serve` child process on a free loopback port, ready once `/api/health` answers.
struct ServerProcess: Sendable {
    let child: ChildProcess
    let port: Int

    /// A client for this server.
    var api: APIClient { APIClient(baseURL: "http://127.0.0.1:\(port)") }

    /// Starts `lablog serve` on `database` and a free port, and waits until it answers `/api/health`.
    /// - Parameters:
    ///   - database: the SQLite file; created and migrated by the server when missing.
    ///   - workspace: the working directory of the server and the home of its log files.
    static func start(
        database: URL, in workspace: Workspace, arguments: [String] = [], environment: [String: String] = [:]
    ) async throws -> ServerProcess {
        var attempt = 0
        while true {
            attempt += 1
            let port = try FreePort.find()
            do {
                return try await launch(
                    ["serve", "--host", "127.0.0.1", "--port", String(port), "--database", database.path]
                        + arguments,
                    expectingPort: port, environment: environment, in: workspace)
            } catch let failure as EndToEndFailure
                where attempt < 3 && failure.description.localizedCaseInsensitiveContains("address already in use")
            {
                // Another process took the port between FreePort and the bind: try another one.
                continue
            }
        }
    }

    /// Starts `lablog` with exactly `arguments` and waits until it answers `/api/health` on `port`, the port the
    /// arguments, the environment or a `.env` file in the workspace tell it to use.
    static func launch(
        _ arguments: [String], expectingPort port: Int, environment: [String: String] = [:],
        in workspace: Workspace
    ) async throws -> ServerProcess {
        let child = try ChildProcess(
            executable: try LablogBinary.url(), arguments: arguments, environment: environment,
            workingDirectory: workspace.url, logName: "serve")
        let server = ServerProcess(child: child, port: port)
        do {
            try await server.waitUntilHealthy()
            return server
        } catch {
            child.forceStop()
            throw error
        }
    }

    /// Polls `/api/health` until it answers 200.
    /// - Throws: ``EndToEndFailure`` with the server's output when it exits or does not become healthy in time.
    func waitUntilHealthy(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard child.isRunning else {
                let termination = try await child.waitForExit(timeout: .seconds(5))
                throw EndToEndFailure(
                    "lablog serve ended (\(termination)) before it answered /api/health. Its output:\n\(output)")
            }
            if let response = try? await api.send(.GET, "/api/health", timeout: .seconds(2)),
                response.status == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw EndToEndFailure("lablog serve did not answer /api/health within \(timeout). Its output:\n\(output)")
    }

    /// Sends SIGTERM and waits for the process to end.
    func stop(timeout: Duration = .seconds(10)) async throws -> ChildProcess.Termination {
        child.send(SIGTERM)
        return try await child.waitForExit(timeout: timeout)
    }

    /// Sends SIGKILL, as a crash or `kill -9` would, and waits for the process to end.
    func kill() async throws -> ChildProcess.Termination {
        child.send(SIGKILL)
        return try await child.waitForExit(timeout: .seconds(10))
    }

    /// The server's standard output and error so far, for failure messages.
    var output: String {
        "--- stdout ---\n\(child.standardOutput)\n--- stderr ---\n\(child.standardError)"
    }
}
