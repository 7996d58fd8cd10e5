import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Benchmarks a running Lablog server over its native HTTP API: ingest, search, and the server's memory.
@main
struct LablogBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lablog-bench",
        abstract: "Benchmark a running Lablog server: metric ingest, filtered search and resident memory.",
        discussion: """
            Targets: ingest >= 200,000 points/s with 1,000-point batches from 4 clients; the first page of an \
            experiment of 10,000 runs (10 params, 10 metrics each) with a two-condition filter in < 20 ms; \
            peak resident memory < 150 MB (needs --server-pid). Exits non-zero when a target is missed.
            """)

    @Option(help: "The server's origin.")
    var url = "http://127.0.0.1:8000"

    @Option(help: "The server's process id, to read its memory and CPU time from /proc.")
    var serverPID: Int32?

    @Option(help: "Concurrent ingest clients, each posting to its own run.")
    var clients = 4

    @Option(help: "Metric points per ingest request.")
    var batchSize = 1000

    @Option(help: "Distinct metric keys in an ingest batch.")
    var keys = 10

    @Option(help: "Seconds to post ingest batches for.")
    var duration = 10.0

    @Option(help: "Batches per ingest client, instead of --duration.")
    var batches: Int?

    @Option(help: "Runs in the search experiment.")
    var runs = 10_000

    @Option(help: "Params per run of the search experiment.")
    var params = 10

    @Option(help: "Metrics per run of the search experiment.")
    var metrics = 10

    @Option(help: "Timed search requests.")
    var searchRequests = 200

    @Option(help: "The search filter.")
    var filter = "metrics.m0 > 0.5 and params.p1 = 'v3'"

    @Option(help: "The page size of the timed search requests (the server's default when omitted).")
    var pageSize: Int?

    @Flag(help: "Skip the ingest workload.")
    var skipIngest = false

    @Flag(help: "Skip the search workload.")
    var skipSearch = false

    func validate() throws {
        guard clients >= 1 else { throw ValidationError("--clients must be at least 1") }
        guard (1...10_000).contains(batchSize) else { throw ValidationError("--batch-size must be 1 to 10,000") }
        guard keys >= 1 else { throw ValidationError("--keys must be at least 1") }
        guard duration > 0 else { throw ValidationError("--duration must be positive") }
        guard batches.map({ $0 >= 1 }) ?? true else { throw ValidationError("--batches must be at least 1") }
        guard runs >= 1, params >= 2, metrics >= 1, searchRequests >= 1 else {
            throw ValidationError("--runs, --metrics and --search-requests must be at least 1, --params at least 2")
        }
    }

    func run() async throws {
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(
                connectionPool: .init(
                    idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, clients))))
        do {
            let passed = try await measure(with: BenchHTTP(client: client, baseURL: url))
            try await client.shutdown()
            if !passed { throw ExitCode(2) }
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Runs every workload, prints the table and tells whether every target was met.
    private func measure(with http: BenchHTTP) async throws -> Bool {
        let log: @Sendable (String) -> Void = { message in
            FileHandle.standardError.write(Data("[lablog-bench] \(message)\n".utf8))
        }
        let server = serverPID.map(ServerProcessInfo.init)
        let health = try await http.send(.GET, "/api/health")
        guard health.status == 200 else {
            throw BenchError("GET \(url)/api/health answered \(health.status): \(health.text.prefix(300))")
        }
        var report = Report()

        if !skipIngest {
            let options = IngestWorkload.Options(
                clients: clients, batchSize: batchSize, keys: keys, duration: .milliseconds(Int(duration * 1000)),
                batchesPerClient: batches)
            let result = try await IngestWorkload(http: http, options: options).run(server: server, log: log)
            report.add(
                "ingest", "throughput, \(clients) clients x \(batchSize) points",
                "\(formatted(result.pointsPerSecond)) points/s", target: ">= 200,000 points/s",
                passed: result.pointsPerSecond >= 200_000)
            report.add(
                "ingest", "request latency p50 / p99",
                "\(formatted(result.latencies.percentile(0.5), decimals: 1)) / "
                    + "\(formatted(result.latencies.percentile(0.99), decimals: 1)) ms", passed: nil)
            report.add(
                "ingest", "requests in \(formatted(result.elapsed.seconds, decimals: 1)) s",
                formatted(Double(result.latencies.count)), passed: nil)
            if let cores = result.serverCores {
                report.add("ingest", "server CPU while posting", "\(formatted(cores, decimals: 2)) cores", passed: nil)
            }
            report.add(
                "ingest", "points acknowledged == stored",
                "\(formatted(Double(result.acknowledgedPoints))) == \(formatted(Double(result.storedPoints)))",
                target: "equal", passed: result.acknowledgedPoints == result.storedPoints)
        }

        if !skipSearch {
            let options = SearchWorkload.Options(
                runs: runs, params: params, metrics: metrics, requests: searchRequests, filter: filter,
                setupClients: clients, pageSize: pageSize)
            let result = try await SearchWorkload(http: http, options: options).run(log: log)
            report.add(
                "search", "setup: \(formatted(Double(runs))) runs created",
                "\(formatted(Double(runs) / result.setupElapsed.seconds)) runs/s", passed: nil)
            report.add("search", "runs on the first page", formatted(Double(result.firstPageCount)), passed: nil)
            for (name, fraction) in [("p50", 0.5), ("p99", 0.99)] {
                let milliseconds = result.latencies.percentile(fraction)
                report.add(
                    "search", "first filtered page, \(name)", "\(formatted(milliseconds, decimals: 2)) ms",
                    target: "< 20 ms", passed: milliseconds < 20)
            }
        }

        if let server {
            let memory = try server.residentMemory()
            let peak = Double(memory.peak) / 1_000_000
            report.add(
                "memory", "peak resident (VmHWM)", "\(formatted(peak, decimals: 1)) MB", target: "< 150 MB",
                passed: peak < 150)
            report.add(
                "memory", "resident now (VmRSS)", "\(formatted(Double(memory.current) / 1_000_000, decimals: 1)) MB",
                passed: nil)
        } else {
            log("memory: skipped; pass --server-pid to read the server's resident memory")
        }

        print("\nLablog benchmark against \(url)\n")
        print(report.rendered())
        return report.allPassed
    }
}
