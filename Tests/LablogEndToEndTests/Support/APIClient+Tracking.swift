import Foundation
import Testing

/// Scenario helpers, so the tests read as what a user does.
extension APIClient {
    /// Creates an experiment and returns its id.
    func createExperiment(_ name: String) async throws -> Int {
        let response = try await post("/api/experiments", json: #"{"name": "\#(name)"}"#)
        guard response.status == 201 else {
            throw EndToEndFailure("POST /api/experiments answered \(response.status): \(response.text)")
        }
        return try #require(response.object()["id"] as? Int)
    }

    /// Creates a run with the legacy body and returns its 32-character id.
    func createRun(experimentID: Int, legacyBody: String = "{}") async throws -> String {
        let response = try await post("/api/experiments/\(experimentID)/runs", json: legacyBody)
        guard response.status == 201 else {
            throw EndToEndFailure(
                "POST /api/experiments/\(experimentID)/runs answered \(response.status): \(response.text)")
        }
        return try #require(response.object()["id"] as? String)
    }

    /// Logs one batch of points of `key`, one per step, and fails unless the server acknowledges it.
    func logMetrics(runID: String, key: String, steps: ClosedRange<Int>, value: (Int) -> Double) async throws {
        let points = steps.map { step in
            let timestamp = 1_700_000_000_000 + step
            return #"{"key": "\#(key)", "value": \#(value(step)), "step": \#(step), "timestamp": \#(timestamp)}"#
        }
        let body = #"{"metrics": [\#(points.joined(separator: ","))]}"#
        let response = try await post("/api/runs/\(runID)/metrics", json: body)
        guard (200..<300).contains(response.status) else {
            throw EndToEndFailure("POST /api/runs/\(runID)/metrics answered \(response.status): \(response.text)")
        }
    }

    /// The steps of a metric's whole history, read page by page.
    func historySteps(runID: String, key: String) async throws -> [Int] {
        try await all("/api/runs/\(runID)/metrics/\(key)").compactMap { $0["step"] as? Int }
    }
}

/// Asserts that `response` is an error in Lablog's one format with the given status and code.
func expectError(
    _ response: APIResponse, status: Int, code: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
    let body = try? response.object()
    #expect(body?["code"] as? String == code, "\(response.text)", sourceLocation: sourceLocation)
    #expect((body?["error"] as? String)?.isEmpty == false, "\(response.text)", sourceLocation: sourceLocation)
    #expect(
        response.header("Content-Type")?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
}
