import Foundation
import NIOHTTP1
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts the built `lablog` binary on a free port and drives it over HTTP, as a user's scripts would.
@Suite("lablog serve, end to end", .timeLimit(.minutes(5)))
struct ServerEndToEndTests {
    @Test("A tracking session over HTTP, a clean SIGTERM shutdown, and a restart that keeps every write")
    func trackingSessionSurvivesRestart() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let database = workspace.file("e2e.db")

        let server = try await ServerProcess.start(database: database, in: workspace)
        defer { server.child.forceStop() }
        let api = server.api

        // An experiment, named as the legacy body named it; 201 with a Location header.
        let created = try await api.post(
            "/api/experiments", json: #"{"name": "e2e-resnet", "description": "end to end"}"#)
        #expect(created.status == 201, "\(created.text)")
        let experimentID = try #require(try created.object()["id"] as? Int)
        #expect(created.header("Location")?.hasSuffix("/api/experiments/\(experimentID)") == true)

        // Two runs with the legacy body: metrics and params in one request.
        let bestRun = try await api.createRun(
            experimentID: experimentID,
            legacyBody: #"{"metrics": {"accuracy": 0.93, "loss": 0.4}, "params": {"lr": "0.01", "optimizer": "adam"}}"#
        )
        let otherRun = try await api.createRun(
            experimentID: experimentID,
            legacyBody: #"{"metrics": {"accuracy": 0.71, "loss": 0.9}, "params": {"lr": "0.1", "optimizer": "adam"}}"#
        )
        #expect(bestRun.count == 32 && otherRun.count == 32)
        #expect(bestRun.allSatisfy(\.isHexDigit) && bestRun == bestRun.lowercased())

        // A training loop's metric batch, then its history back, in step order.
        try await api.logMetrics(runID: bestRun, key: "loss", steps: 1...200) { 1.0 / Double($0) }
        let steps = try await api.historySteps(runID: bestRun, key: "loss")
        #expect(steps == Array(0...200), "the legacy body's value is step 0, the batch adds steps 1 to 200")

        // Search with a two-condition filter.
        let filter = percentEncoded("metrics.accuracy > 0.9 and params.optimizer = 'adam'")
        let found = try await api.get("/api/experiments/\(experimentID)/runs?filter=\(filter)")
        #expect(found.status == 200, "\(found.text)")
        #expect(try found.array().compactMap { $0["id"] as? String } == [bestRun])

        let either = percentEncoded("params.lr = '0.1' OR (metrics.accuracy > 0.9 AND NOT params.lr = '0.1')")
        let both = try await api.all("/api/runs?filter=\(either)")
        #expect(Set(both.compactMap { $0["id"] as? String }) == [bestRun, otherRun])

        let broken = try await api.get("/api/experiments/\(experimentID)/runs?filter=\(percentEncoded("metrics.x >"))")
        expectError(broken, status: 400, code: "INVALID_FILTER")

        // CSV export: a header row and one row a run.
        let export = try await api.get("/api/experiments/\(experimentID)/export?format=csv")
        #expect(export.status == 200)
        #expect(export.header("Content-Type")?.hasPrefix("text/csv") == true)
        let rows = export.text.split(whereSeparator: \.isNewline)
        #expect(rows.count == 3, "\(export.text)")
        let header = rows.first.map(String.init) ?? ""
        for column in ["params.lr", "params.optimizer", "metrics.accuracy", "metrics.loss"] {
            #expect(header.contains(column), "CSV header: \(header)")
        }
        #expect(export.text.contains(bestRun) && export.text.contains(otherRun))

        // PATCH finishes the run: status and end time.
        let finished = try await api.patch("/api/runs/\(bestRun)", json: #"{"status": "FINISHED"}"#)
        #expect(finished.status == 200, "\(finished.text)")
        let finishedRun = try finished.object()
        #expect(finishedRun["status"] as? String == "FINISHED")
        #expect(finishedRun["end_time"] is String, "a finished run has an end time: \(finished.text)")

        // Errors, every one in the same format.
        expectError(try await api.get("/api/no-such-thing"), status: 404, code: "ROUTE_NOT_FOUND")
        expectError(try await api.send(.DELETE, "/api/health"), status: 405, code: "METHOD_NOT_ALLOWED")
        expectError(
            try await api.get("/api/runs/\(String(repeating: "0", count: 32))"), status: 404, code: "RUN_NOT_FOUND")
        expectError(
            try await api.post("/api/experiments", json: #"{"name": "#), status: 400, code: "MALFORMED_JSON")
        expectError(
            try await api.post("/api/experiments", json: #"{"name": "e2e-resnet"}"#), status: 409,
            code: "ALREADY_EXISTS")

        // SIGTERM shuts the server down cleanly and promptly.
        let termination = try await server.stop(timeout: .seconds(10))
        #expect(termination == .init(status: 0, bySignal: false), "\(server.output)")

        // A new process on the same file sees everything.
        let restarted = try await ServerProcess.start(database: database, in: workspace)
        defer { restarted.child.forceStop() }
        let again = restarted.api
        let experiment = try await again.get("/api/experiments/\(experimentID)")
        #expect(experiment.status == 200)
        #expect(try experiment.object()["name"] as? String == "e2e-resnet")
        let run = try await again.get("/api/runs/\(bestRun)")
        #expect(try run.object()["status"] as? String == "FINISHED")
        #expect(try await again.historySteps(runID: bestRun, key: "loss") == Array(0...200))
        let runs = try await again.all("/api/experiments/\(experimentID)/runs")
        #expect(Set(runs.compactMap { $0["id"] as? String }) == [bestRun, otherRun])
        let secondStop = try await restarted.stop()
        #expect(secondStop == .init(status: 0, bySignal: false), "\(restarted.output)")
    }

    @Test("Writes the server acknowledged survive kill -9")
    func acknowledgedWritesSurviveSIGKILL() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let database = workspace.file("crash.db")

        let server = try await ServerProcess.start(database: database, in: workspace)
        defer { server.child.forceStop() }
        let experimentID = try await server.api.createExperiment("crash-test")
        let runID = try await server.api.createRun(
            experimentID: experimentID, legacyBody: #"{"params": {"seed": "7"}}"#)
        for batch in 0..<20 {
            let first = batch * 500
            try await server.api.logMetrics(runID: runID, key: "loss", steps: first...(first + 499)) { Double($0) }
        }
        let finished = try await server.api.patch("/api/runs/\(runID)", json: #"{"status": "FAILED"}"#)
        #expect(finished.status == 200)

        let termination = try await server.kill()
        #expect(termination == .init(status: SIGKILL, bySignal: true))

        let restarted = try await ServerProcess.start(database: database, in: workspace)
        defer { restarted.child.forceStop() }
        #expect(try await restarted.api.historySteps(runID: runID, key: "loss") == Array(0..<10_000))
        let run = try await restarted.api.get("/api/runs/\(runID)")
        #expect(try run.object()["status"] as? String == "FAILED")
        let stopped = try await restarted.stop()
        #expect(stopped == .init(status: 0, bySignal: false), "\(restarted.output)")
    }
}
