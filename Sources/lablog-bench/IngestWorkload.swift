import Foundation
import NIOCore
import NIOHTTP1

/// Ingest: concurrent clients, each with its own run, posting metric batches as fast as the server takes them.
struct IngestWorkload: Sendable {
    struct Options: Sendable {
        var clients: Int
        var batchSize: Int
        var keys: Int
        /// How long to post for, unless `batchesPerClient` is set.
        var duration: Duration
        /// A fixed number of batches per client instead of a duration.
        var batchesPerClient: Int?
    }

    struct Result: Sendable {
        var elapsed: Duration
        var acknowledgedPoints: Int
        var storedPoints: Int
        var latencies: Latencies
        /// Server CPU seconds per wall-clock second while posting, when the server's pid is known.
        var serverCores: Double?

        var pointsPerSecond: Double { Double(acknowledgedPoints) / elapsed.seconds }
    }

    let http: BenchHTTP
    let options: Options

    func run(server: ServerProcessInfo?, log: @Sendable (String) -> Void) async throws -> Result {
        let experimentID = try await http.createExperiment(named: "bench-ingest-\(uniqueSuffix())")
        var runIDs: [String] = []
        for client in 0..<options.clients {
            runIDs.append(
                try await http.createRun(
                    experimentID: experimentID, legacyBody: #"{"name": "ingest-\#(client)", "params": {}}"#))
        }
        let template = MetricBatchTemplate(
            pointCount: options.batchSize, keyCount: options.keys,
            timestamp: Int64(Date().timeIntervalSince1970 * 1000))
        let plan = options.batchesPerClient.map { "\($0) batches per client" } ?? "\(options.duration)"
        log(
            "ingest: \(options.clients) clients x \(options.batchSize)-point batches "
                + "(\(template.keyCount) keys), \(plan)")

        let cpuBefore = try server?.cpuSeconds()
        let start = ContinuousClock.now
        let deadline = start + options.duration
        let perClient = try await withThrowingTaskGroup(of: ClientTally.self) { group in
            for runID in runIDs {
                group.addTask {
                    try await post(to: runID, template: template, until: deadline)
                }
            }
            var tallies: [ClientTally] = []
            for try await tally in group { tallies.append(tally) }
            return tallies
        }
        let elapsed = ContinuousClock.now - start
        let cpuAfter = try server?.cpuSeconds()

        var latencies = Latencies()
        for tally in perClient { latencies.merge(tally.latencies) }
        let acknowledged = perClient.reduce(0) { $0 + $1.acknowledgedBatches } * options.batchSize
        log("ingest: posted for \(elapsed); counting the stored points back")

        var stored = 0
        for runID in runIDs {
            for key in template.keys {
                stored += try await countHistory(runID: runID, key: key)
            }
        }
        var cores: Double?
        if let cpuBefore, let cpuAfter { cores = (cpuAfter - cpuBefore) / elapsed.seconds }
        return Result(
            elapsed: elapsed, acknowledgedPoints: acknowledged, storedPoints: stored, latencies: latencies,
            serverCores: cores)
    }

    private struct ClientTally: Sendable {
        var acknowledgedBatches = 0
        var latencies = Latencies()
    }

    private func post(to runID: String, template: MetricBatchTemplate, until deadline: ContinuousClock.Instant)
        async throws -> ClientTally
    {
        var tally = ClientTally()
        let path = "/api/runs/\(runID)/metrics"
        var batch = 0
        while true {
            if let limit = options.batchesPerClient {
                if batch >= limit { break }
            } else if ContinuousClock.now >= deadline {
                break
            }
            let body = template.body(batch: batch)
            let sent = ContinuousClock.now
            let response = try await http.send(.POST, path, body: body)
            tally.latencies.record(ContinuousClock.now - sent)
            // A refused batch makes every figure meaningless: stop and say why.
            guard (200..<300).contains(response.status) else {
                throw BenchError("POST \(path) answered \(response.status): \(response.text.prefix(500))")
            }
            tally.acknowledgedBatches += 1
            batch += 1
        }
        return tally
    }

    /// The number of points in a metric's history, read page by page through the `Link` headers.
    private func countHistory(runID: String, key: String) async throws -> Int {
        struct Point: Decodable { var step: Int64 }
        var next: String? = "/api/runs/\(runID)/metrics/\(percentEncoded(key))?limit=10000"
        var count = 0
        while let url = next {
            let response = try await http.send(.GET, url)
            guard response.status == 200 else {
                throw BenchError("GET \(url) answered \(response.status): \(response.text.prefix(500))")
            }
            count += try response.decode([Point].self).count
            next = response.nextLink
        }
        return count
    }
}

/// A suffix that keeps the names of one benchmark's experiments apart from the previous one's.
func uniqueSuffix() -> String {
    String(UInt64.random(in: 0..<UInt64.max), radix: 36)
}
