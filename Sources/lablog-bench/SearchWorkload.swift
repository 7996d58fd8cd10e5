import NIOHTTP1

/// Search: an experiment of many runs, each with params and metrics, and the first page of a filtered list.
struct SearchWorkload: Sendable {
    struct Options: Sendable {
        var runs: Int
        var params: Int
        var metrics: Int
        var requests: Int
        var filter: String
        /// Concurrent requests while creating the runs.
        var setupClients: Int
        /// The `limit` of the timed requests; the server's default page when nil.
        var pageSize: Int?
    }

    struct Result: Sendable {
        var setupElapsed: Duration
        var latencies: Latencies
        /// Runs on the first page of the filtered list.
        var firstPageCount: Int
    }

    let http: BenchHTTP
    let options: Options

    func run(log: @escaping @Sendable (String) -> Void) async throws -> Result {
        let experimentID = try await http.createExperiment(named: "bench-search-\(uniqueSuffix())")
        log(
            "search: creating \(options.runs) runs with \(options.params) params and \(options.metrics) metrics "
                + "each in experiment \(experimentID)")
        let setupStart = ContinuousClock.now
        try await createRuns(experimentID: experimentID, log: log)
        let setupElapsed = ContinuousClock.now - setupStart

        var path = "/api/experiments/\(experimentID)/runs?filter=\(percentEncoded(options.filter))"
        if let pageSize = options.pageSize { path += "&limit=\(pageSize)" }
        log("search: \(options.requests) requests of GET \(path)")

        struct Item: Decodable { var id: String }
        var firstPageCount = 0
        // A few untimed requests first, so the figures describe a warm server as users meet it.
        for _ in 0..<5 {
            firstPageCount = try await firstPage(path).decode([Item].self).count
        }
        var latencies = Latencies()
        for _ in 0..<options.requests {
            let sent = ContinuousClock.now
            _ = try await firstPage(path)
            latencies.record(ContinuousClock.now - sent)
        }
        return Result(setupElapsed: setupElapsed, latencies: latencies, firstPageCount: firstPageCount)
    }

    private func firstPage(_ path: String) async throws -> BenchHTTP.Response {
        let response = try await http.send(.GET, path)
        guard response.status == 200 else {
            throw BenchError("GET \(path) answered \(response.status): \(response.text.prefix(500))")
        }
        return response
    }

    private func createRuns(experimentID: Int64, log: @escaping @Sendable (String) -> Void) async throws {
        let workers = max(1, options.setupClients)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    for index in stride(from: worker, to: options.runs, by: workers) {
                        _ = try await http.createRun(experimentID: experimentID, legacyBody: legacyBody(run: index))
                        if worker == 0 && index > 0 && index % (2000 * workers) == 0 {
                            log("search: \(index) runs created")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// The legacy body of run `index`: `p<i>` params with ten possible values and `m<i>` metrics in [0, 1), the
    /// same for every benchmark.
    private func legacyBody(run index: Int) -> String {
        var generator = SplitMix64(seed: UInt64(index) &* 7919)
        let params = (0..<options.params).map { #""p\#($0)": "v\#(generator.next() % 10)""# }
        let metrics = (0..<options.metrics).map { #""m\#($0)": \#(Double(generator.next() >> 11) / Double(1 << 53))"# }
        return #"{"name": "run-\#(index)", "params": {\#(params.joined(separator: ", "))}, "#
            + #""metrics": {\#(metrics.joined(separator: ", "))}}"#
    }
}
