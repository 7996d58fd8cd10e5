import AsyncHTTPClient
import Foundation
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#endif

/// Starts and stops a `lablog serve` process of its own on a given database and a free loopback port.
struct ServerLauncher: Sendable {
    let binary: String
    let database: String

    /// A started server: its process and origin.
    struct Running {
        let process: Process
        let url: String
        let port: Int

        var info: ServerProcessInfo { ServerProcessInfo(pid: process.processIdentifier) }
    }

    /// Starts the server; its output goes to `server.log` beside the database.
    func start() throws -> Running {
        let folder = URL(fileURLWithPath: database).deletingLastPathComponent()
        let port = try Self.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "serve", "--host", "127.0.0.1", "--port", String(port), "--database", database, "--log-level", "warning",
        ]
        // Settings from the caller's shell or a .env file must not change the server under test.
        var environment = ProcessInfo.processInfo.environment
        for name in ["DATABASE_URL", "PORT", "HOST", "SEED_ON_STARTUP", "LOG_LEVEL"] {
            environment[name] = nil
        }
        environment["MAX_RUNS_PER_EXPERIMENT"] = "10000000"
        process.environment = environment
        process.currentDirectoryURL = folder
        let logURL = folder.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        return Running(process: process, url: "http://127.0.0.1:\(port)", port: port)
    }

    /// Polls `/api/health` until it answers 200; gives up after two minutes (a migration may run first).
    func waitForHealth(_ server: Running, client: HTTPClient) async throws {
        let http = BenchHTTP(client: client, baseURL: server.url)
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if (try? await http.send(.GET, "/api/health").status) == 200 { return }
            guard server.process.isRunning else {
                throw BenchError("lablog serve exited at start; see server.log beside \(database)")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        try await stop(server)
        throw BenchError("lablog serve did not answer /api/health within 120 s")
    }

    /// Stops the server with SIGTERM, as an operator would, and waits for it to exit.
    func stop(_ server: Running) async throws {
        server.process.terminate()
        for _ in 0..<1200 where server.process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        if server.process.isRunning {
            kill(server.process.processIdentifier, SIGKILL)
            throw BenchError("lablog serve did not exit within 60 s of SIGTERM")
        }
    }

    /// A port the kernel reports free on the loopback interface; the server binds it right after.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw BenchError("socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
            }
        }
        guard bound else { throw BenchError("could not find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
