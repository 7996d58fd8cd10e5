import NIOHTTP1

/// The load generator alone: how many requests a second it drives against the cheapest endpoint, `/api/health`,
/// with its own event-loop client and with AsyncHTTPClient, and how much CPU each costs.
///
/// The figures bound every request rate of the suite: a workload that comes close to them measures the generator,
/// not the server.
struct GeneratorWorkload: Workload {
    static let name = "generator"
    static let summary = "GET /api/health as fast as possible: what the load generator can drive by itself"

    private static let connections = 16

    func run(in context: BenchContext, report: inout Report) async throws {
        let duration = context.scale.duration
        let request = context.encoder.get("/api/health")
        context.log("generator: \(Self.connections) connections of GET /api/health for \(duration), raw client")
        let raw = try await context.driver.run(connections: Self.connections, duration: duration) { _, _ in request }
        report.add(
            Self.name, "raw keep-alive client, \(Self.connections) connections",
            "\(formatted(raw.requestsPerSecond)) requests/s", passed: nil, note: raw.cpuNote)

        context.log("generator: the same with AsyncHTTPClient")
        let http = context.http
        let server = context.server
        let cpuBefore = try ServerProcessInfo.current.cpuSeconds()
        let serverBefore = try server?.cpuSeconds()
        let (counts, elapsed) = try await timed {
            let deadline = ContinuousClock.now + duration
            return try await concurrently(Self.connections, clients: Self.connections) { _ in
                var count = 0
                while ContinuousClock.now < deadline {
                    try await http.send(.GET, "/api/health").expectSuccess("GET /api/health")
                    count += 1
                }
                return count
            }
        }
        let generatorCores = (try ServerProcessInfo.current.cpuSeconds() - cpuBefore) / elapsed.seconds
        var note = "generator \(formatted(generatorCores, decimals: 2)) cores"
        if let serverBefore, let after = try server?.cpuSeconds() {
            note = "server \(formatted((after - serverBefore) / elapsed.seconds, decimals: 2)) cores, " + note
        }
        let rate = Double(counts.reduce(0, +)) / elapsed.seconds
        report.add(
            Self.name, "AsyncHTTPClient, \(Self.connections) concurrent requests",
            "\(formatted(rate)) requests/s", passed: nil, note: note)
    }
}
