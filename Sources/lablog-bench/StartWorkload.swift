import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Start-up time on a large database: a server of its own opens a database of the chosen size (built once through
/// the public API and cached), and the time from launch to the first `/api/health` answer is measured.
struct StartWorkload: Workload {
    static let name = "start"
    static let summary = "a 10 GB database (built once, cached): /api/health answers within 1 s of starting"

    static let loadsServerUnderTest = false

    private static let starts = 3
    private static let builders = 8
    /// Tags per `runs/log-batch` (MLflow's limit), their value length (the run tag limit) and batches per run.
    private static let tagsPerBatch = 100
    private static let tagValueLength = 8000
    private static let batchesPerRun = 10

    func run(in context: BenchContext, report: inout Report) async throws {
        guard let binary = context.serverBinary else {
            report.add(Self.name, "start-up", "not measured", passed: nil, note: "needs --server-binary")
            return
        }
        let gigabytes = context.scale.startDatabaseGB
        // The size names the cache folder: `start-10GB`, `start-0.25GB`.
        let size = gigabytes == gigabytes.rounded() ? String(Int(gigabytes)) : String(gigabytes)
        let folder = URL(fileURLWithPath: context.dataDirectory).appendingPathComponent("start-\(size)GB")
        let launcher = ServerLauncher(binary: binary, database: folder.appendingPathComponent("lablog.db").path)
        let marker = folder.appendingPathComponent("complete")
        let targetBytes = Int(gigabytes * 1_000_000_000)
        if FileManager.default.fileExists(atPath: marker.path) {
            context.log("\(Self.name): reusing the cached database in \(folder.path)")
        } else {
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            context.log("\(Self.name): building a \(size) GB database in \(folder.path) (cached for next time)")
            let (_, elapsed) = try await timed { try await build(with: launcher, bytes: targetBytes, context: context) }
            try Data("\(targetBytes)\n".utf8).write(to: marker)
            report.add(
                Self.name, "building the database through the API", "\(formatted(elapsed.seconds, decimals: 0)) s",
                passed: nil)
        }
        let bytesOnDisk = databaseBytes(launcher.database)

        var times: [Duration] = []
        for attempt in 0..<Self.starts {
            let (server, elapsed) = try await timed {
                let server = try launcher.start()
                try await launcher.waitForHealth(server, client: context.http.client)
                return server
            }
            try await launcher.stop(server)
            context.log("\(Self.name): start \(attempt + 1): \(milliseconds(elapsed.milliseconds))")
            times.append(elapsed)
        }
        let slowest = times.max()!.milliseconds
        report.add(
            Self.name, "launch to first /api/health (worst of \(Self.starts))", milliseconds(slowest),
            target: "< 1,000 ms",
            passed: slowest < 1000,
            note: "database \(formatted(Double(bytesOnDisk) / 1e9, decimals: 2)) GB; "
                + times.map { milliseconds($0.milliseconds) }.joined(separator: ", "))
    }

    /// Fills a fresh database through the public API until it holds `bytes`: runs with many large tags, sent by
    /// several clients, so that nothing depends on how the store lays its tables out.
    private func build(with launcher: ServerLauncher, bytes: Int, context: BenchContext) async throws {
        let server = try launcher.start()
        let http = BenchHTTP(client: context.http.client, baseURL: server.url)
        try await launcher.waitForHealth(server, client: context.http.client)
        let experimentID = try await http.createExperiment(named: "bench-start")
        var generator = SplitMix64(seed: 10)
        let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        let values = (0..<Self.tagsPerBatch).map { _ in
            String(decoding: (0..<Self.tagValueLength).map { _ in letters[Int(generator.next() % 26)] }, as: UTF8.self)
        }
        let tagLists = (0..<Self.batchesPerRun).map { batch in
            values.enumerated().map { #"{"key":"k\#(batch)_\#($0)","value":"\#($1)"}"# }.joined(separator: ",")
        }
        let database = launcher.database
        try await withThrowingTaskGroup(of: Void.self) { group in
            for builder in 0..<Self.builders {
                group.addTask {
                    var run = builder
                    while databaseBytes(database) < bytes {
                        let runID = try await http.createRun(
                            experimentID: experimentID, legacyBody: #"{"name":"big-\#(run)"}"#)
                        for tags in tagLists {
                            let body = #"{"run_id":"\#(runID)","tags":[\#(tags)]}"#
                            try await http.send(.POST, "/api/2.0/mlflow/runs/log-batch", body: ByteBuffer(string: body))
                                .expectSuccess("POST runs/log-batch")
                        }
                        if builder == 0 && run % 40 == 0 {
                            let size = databaseBytes(database)
                            context.log("\(Self.name): \(formatted(Double(size) / 1e9, decimals: 2)) GB")
                        }
                        run += Self.builders
                    }
                }
            }
            try await group.waitForAll()
        }
        try await launcher.stop(server)
    }
}

/// The bytes of a SQLite database with its write-ahead log.
private func databaseBytes(_ path: String) -> Int {
    [path, path + "-wal"].reduce(0) { total, file in
        total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
    }
}
