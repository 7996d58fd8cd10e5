import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Benchmarks a running Lablog server over HTTP: every workload of the performance targets, one table of results.
@main
struct LablogBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lablog-bench",
        abstract: "Benchmark a running Lablog server over HTTP and print one table: figure, target, PASS or MISS.",
        discussion: "Workloads (run in this order; select some with --only):\n"
            + allWorkloads.map { "  \($0.name): \($0.summary)" }.joined(separator: "\n"))

    @Option(help: "The server's origin.")
    var url = "http://127.0.0.1:8000"

    @Option(help: "The server's process id, to read its memory and CPU time from /proc.")
    var serverPID: Int32?

    @Option(help: "Comma-separated workloads to run (default: all).")
    var only: String?

    @Flag(help: "Small sizes: the whole suite in a few minutes.")
    var quick = false

    @Flag(help: "Exit with status 2 when a target is missed.")
    var strict = false

    @Option(help: "The lablog binary: the memory and start-up workloads run servers of their own with it.")
    var serverBinary: String?

    @Option(help: "Where generated data sets are cached between runs.")
    var dataDir = ".build/bench-data"

    @Option(help: "Seconds each throughput workload runs (default 10, or 3 with --quick).")
    var duration: Double?

    @Option(help: "Runs in the search experiment (default 100,000).")
    var searchRuns: Int?

    @Option(help: "Points in the long history (default 10,000,000).")
    var historyPoints: Int?

    @Option(help: "Runs the memory workload creates (default 1,000,000).")
    var memoryRuns: Int?

    @Option(help: "Size of the start-up workload's database in GB (default 10).")
    var startDatabaseGB: Double?

    @Option(help: "Event loop threads of the load generator.")
    var generatorThreads = 1

    func validate() throws {
        if let only {
            let known = Set(allWorkloads.map { $0.name })
            for name in Self.names(only) where !known.contains(name) {
                throw ValidationError(
                    "unknown workload \(name); known: \(allWorkloads.map { $0.name }.joined(separator: ", "))")
            }
        }
        guard generatorThreads >= 1 else { throw ValidationError("--generator-threads must be at least 1") }
        guard URL(string: url)?.port != nil else { throw ValidationError("--url needs a host and a port") }
    }

    private static func names(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The sizes chosen by --quick and the size options.
    private var scale: Scale {
        var scale = quick ? Scale.quick : Scale.full
        if let duration { scale.duration = .milliseconds(Int(duration * 1000)) }
        if let searchRuns { scale.searchRuns = searchRuns }
        if let historyPoints { scale.historyPoints = historyPoints }
        if let memoryRuns { scale.memoryRuns = memoryRuns }
        if let startDatabaseGB { scale.startDatabaseGB = startDatabaseGB }
        return scale
    }

    func run() async throws {
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 32)))
        let origin = URL(string: url)!
        let server = serverPID.map(ServerProcessInfo.init)
        let driver = LoadDriver(
            threads: generatorThreads, host: origin.host ?? "127.0.0.1", port: origin.port!, server: server)
        let context = BenchContext(
            http: BenchHTTP(client: client, baseURL: url), driver: driver,
            encoder: RequestEncoder(host: "\(origin.host ?? "127.0.0.1"):\(origin.port!)"), server: server,
            scale: scale, serverBinary: serverBinary, dataDirectory: dataDir)
        let report: Report
        do {
            report = try await measure(context)
            try await driver.shutdown()
            try await client.shutdown()
        } catch {
            try? await driver.shutdown()
            try? await client.shutdown()
            throw error
        }
        print("\nLablog benchmark against \(url)\(quick ? " (--quick sizes)" : "")\n")
        print(report.rendered())
        let misses = report.misses.count
        print("\n\(misses == 0 ? "every target met" : "\(misses) figure(s) missed their target")")
        if strict && misses > 0 { throw ExitCode(2) }
    }

    /// Runs the selected workloads, sampling the server's memory during each, and returns the table.
    private func measure(_ context: BenchContext) async throws -> Report {
        let health = try await context.http.send(.GET, "/api/health")
        guard health.status == 200 else {
            throw BenchError("GET \(url)/api/health answered \(health.status): \(health.text.prefix(300))")
        }
        let selected = only.map(Self.names).map(Set.init)
        var report = Report()
        for workload in allWorkloads where selected?.contains(workload.name) ?? true {
            context.log("== \(workload.name): \(workload.summary)")
            let sampler = workload.loadsServerUnderTest ? context.server.map { MemorySampler(server: $0) } : nil
            let (_, elapsed) = try await timed { try await workload.init().run(in: context, report: &report) }
            if let samples = sampler?.stop() {
                let peak = samples.peakMegabytes
                report.add(
                    workload.name, "server resident memory, peak sampled", "\(formatted(peak, decimals: 1)) MB",
                    target: "< 200 MB", passed: peak < 200)
            }
            context.log("== \(workload.name) done in \(formatted(elapsed.seconds, decimals: 1)) s")
        }
        if let server = context.server {
            let peak = Double(try server.residentMemory().peak) / 1_000_000
            report.add(
                "all", "server peak resident memory (VmHWM)", "\(formatted(peak, decimals: 1)) MB", target: "< 200 MB",
                passed: peak < 200)
        }
        return report
    }
}
