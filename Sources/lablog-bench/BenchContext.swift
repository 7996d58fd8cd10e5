import Foundation

/// What every workload shares: the server, the two HTTP clients, the sizes and the log.
struct BenchContext: Sendable {
    /// A pooled client for setup and reads.
    let http: BenchHTTP
    /// The load generator for the measured request streams.
    let driver: LoadDriver
    /// Encodes requests for the driver.
    let encoder: RequestEncoder
    /// The server under test, when its pid is known.
    let server: ServerProcessInfo?
    let scale: Scale
    /// The `lablog` binary and the folder of cached data sets, for the start-up workload.
    let serverBinary: String?
    let dataDirectory: String

    /// Writes a progress line to standard error.
    func log(_ message: String) {
        FileHandle.standardError.write(Data("[lablog-bench] \(message)\n".utf8))
    }

    /// Runs `body` against a fresh server of its own on an empty database, in a folder of the data directory that is
    /// removed afterwards; nil when no server binary was given.
    func withFreshServer<T: Sendable>(
        label: String, _ body: (BenchContext) async throws -> T
    ) async throws -> T? {
        guard let serverBinary else { return nil }
        let folder = URL(fileURLWithPath: dataDirectory).appendingPathComponent("\(label)-\(uniqueSuffix())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let launcher = ServerLauncher(binary: serverBinary, database: folder.appendingPathComponent("lablog.db").path)
        let running = try launcher.start()
        let driver = LoadDriver(
            threads: self.driver.threads, host: "127.0.0.1", port: running.port, server: running.info)
        let fresh = BenchContext(
            http: BenchHTTP(client: http.client, baseURL: running.url), driver: driver,
            encoder: RequestEncoder(host: "127.0.0.1:\(running.port)"), server: running.info, scale: scale,
            serverBinary: serverBinary, dataDirectory: dataDirectory)
        do {
            try await launcher.waitForHealth(running, client: http.client)
            let result = try await body(fresh)
            try await driver.shutdown()
            try await launcher.stop(running)
            return result
        } catch {
            try? await driver.shutdown()
            try? await launcher.stop(running)
            throw error
        }
    }

    /// Creates `count` runs in a new experiment with `clients` concurrent requests; returns their ids in order.
    func createRuns(_ count: Int, label: String, clients: Int = 16) async throws -> [String] {
        let experimentID = try await http.createExperiment(named: "bench-\(label)-\(uniqueSuffix())")
        return try await concurrently(count, clients: clients) { index in
            try await http.createRun(experimentID: experimentID, legacyBody: #"{"name": "\#(label)-\#(index)"}"#)
        }
    }
}

/// Runs `body(0..<count)` with at most `clients` calls at a time; returns the results in index order.
func concurrently<T: Sendable>(
    _ count: Int, clients: Int, _ body: @escaping @Sendable (Int) async throws -> T
) async throws -> [T] {
    try await withThrowingTaskGroup(of: (Int, T).self) { group in
        var results = [T?](repeating: nil, count: count)
        var next = 0
        for _ in 0..<min(clients, count) {
            let index = next
            group.addTask { (index, try await body(index)) }
            next += 1
        }
        for try await (index, value) in group {
            results[index] = value
            if next < count {
                let index = next
                group.addTask { (index, try await body(index)) }
                next += 1
            }
        }
        return results.map { $0! }
    }
}

/// A suffix that keeps the names of one benchmark's experiments apart from the previous one's.
func uniqueSuffix() -> String {
    String(UInt64.random(in: 0..<UInt64.max), radix: 36)
}
