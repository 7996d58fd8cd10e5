import Foundation
import NIOCore
import NIOHTTP1

/// Search over many runs: the first page of a filtered, ordered list through MLflow's `runs/search` (which does not
/// count), and the native list, which counts the matches (`X-Total-Count`).
struct SearchWorkload: Workload {
    static let name = "search"
    static let summary =
        "100,000 runs (10 params, 10 metrics x 100 steps, 5 tags): filtered first page p50 < 20 ms, p99 < 50 ms; "
        + "count < 100 ms"

    private static let pageSize = 100
    private static let setupClients = 16

    func run(in context: BenchContext, report: inout Report) async throws {
        let scale = context.scale
        let http = context.http
        let corpus = SearchCorpus(timestamp: Int64(Date().timeIntervalSince1970 * 1000))
        let experimentID = try await http.createExperiment(named: "bench-search-\(uniqueSuffix())")
        context.log("\(Self.name): creating \(formatted(scale.searchRuns)) runs in experiment \(experimentID)")
        let every = max(1, scale.searchRuns / 10)
        let (_, setup) = try await timed {
            _ = try await concurrently(scale.searchRuns, clients: Self.setupClients) { index in
                let runID = try await http.createRun(experimentID: experimentID, legacyBody: corpus.creationBody(index))
                try await http.send(.POST, "/api/runs/\(runID)/metrics", body: corpus.historyBody(index))
                    .expectSuccess("POST /api/runs/\(runID)/metrics")
                if index > 0 && index % every == 0 { context.log("\(Self.name): \(formatted(index)) runs created") }
            }
        }
        report.add(
            Self.name, "setup: \(formatted(scale.searchRuns)) runs with histories",
            "\(formatted(Double(scale.searchRuns) / setup.seconds)) runs/s", passed: nil,
            note: "\(formatted(Double(scale.searchRuns * SearchCorpus.metrics * SearchCorpus.steps) / setup.seconds)) "
                + "points/s, \(Self.setupClients) clients")
        let expected = (0..<scale.searchRuns).reduce(0) { $0 + (corpus.run($1).matches ? 1 : 0) }
        if let settled = try await MachineSettling.waitUntilQuiet() {
            context.log(
                "\(Self.name): waited \(formatted(settled.waited / .seconds(1), decimals: 1)) s for the machine to settle after the "
                    + "load (last reading \(Int(settled.busy * 100))% busy)")
        }

        try await measureFirstPage(experimentID: experimentID, expected: expected, in: context, report: &report)
        try await measureCount(experimentID: experimentID, expected: expected, in: context, report: &report)
    }

    private func measureFirstPage(
        experimentID: Int64, expected: Int, in context: BenchContext, report: inout Report
    ) async throws {
        struct Page: Decodable {
            struct Run: Decodable {
                struct Data: Decodable {
                    struct Metric: Decodable {
                        var key: String
                        var value: Double
                    }
                    var metrics: [Metric]?
                }
                var data: Data
            }
            var runs: [Run]?
        }
        let body = ByteBuffer(
            string: #"{"experiment_ids":["\#(experimentID)"],"filter":"\#(SearchCorpus.filter)","#
                + #""order_by":["\#(SearchCorpus.orderBy)"],"max_results":\#(Self.pageSize)}"#)
        let path = "/api/2.0/mlflow/runs/search"
        context.log("\(Self.name): \(context.scale.searchRequests) requests of POST \(path) (\(SearchCorpus.filter))")
        let latencies = try await timedRequests(context) {
            try await context.http.send(.POST, path, body: body).expectSuccess("POST \(path)")
        }
        let page = try await context.http.send(.POST, path, body: body).expectSuccess("POST \(path)").decode(Page.self)
        let order = (page.runs ?? []).map { run in run.data.metrics?.first { $0.key == "m1" }?.value ?? .nan }
        let right = order.count == min(expected, Self.pageSize) && order == order.sorted(by: >)
        let note = "\(order.count) runs on the page, \(formatted(expected)) match" + (right ? "" : ": WRONG PAGE")
        report.add(
            Self.name, "runs/search first page (\(Self.pageSize)), p50", milliseconds(latencies.percentile(0.5)),
            target: "< 20 ms", passed: latencies.percentile(0.5) < 20 && right, note: note)
        report.add(
            Self.name, "runs/search first page (\(Self.pageSize)), p99", milliseconds(latencies.percentile(0.99)),
            target: "< 50 ms", passed: latencies.percentile(0.99) < 50)
    }

    private func measureCount(
        experimentID: Int64, expected: Int, in context: BenchContext, report: inout Report
    ) async throws {
        let path =
            "/api/experiments/\(experimentID)/runs?filter=\(percentEncoded(SearchCorpus.filter))"
            + "&order_by=\(percentEncoded(SearchCorpus.orderBy))&limit=\(Self.pageSize)"
        context.log("\(Self.name): \(context.scale.searchRequests) requests of the native list, which counts")
        let latencies = try await timedRequests(context) {
            try await context.http.send(.GET, path).expectSuccess("GET \(path)")
        }
        let response = try await context.http.send(.GET, path).expectSuccess("GET \(path)")
        let total = response.headers["X-Total-Count"].first.flatMap { Int($0) }
        let p50 = latencies.percentile(0.5)
        report.add(
            Self.name, "native list with X-Total-Count, p50", milliseconds(p50), target: "< 100 ms",
            passed: p50 < 100 && total == expected,
            note: "counted \(total.map(formatted) ?? "nothing"), expected \(formatted(expected)); "
                + "p99 \(milliseconds(latencies.percentile(0.99)))")
    }

    /// Times `request` the configured number of times, after a few untimed warm-up calls.
    private func timedRequests(
        _ context: BenchContext, _ request: () async throws -> BenchHTTP.Response
    ) async throws -> Latencies {
        for _ in 0..<5 { _ = try await request() }
        var latencies = Latencies()
        for _ in 0..<context.scale.searchRequests {
            let (_, elapsed) = try await timed { try await request() }
            latencies.record(elapsed)
        }
        return latencies
    }
}
