import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("MLflow API: metric histories")
struct MLflowMetricHistoryTests {
    /// A run with `steps` points of `loss`: value step/2, timestamp 1000+step.
    private func runWithHistory(_ client: any TestClientProtocol, _ store: any TrackingStore, steps: Int) async throws
        -> String
    {
        let run = try await client.mlflowCreateRun(try await client.mlflowCreateExperiment("e-\(UUID())"))
        let points = (0..<steps).map { step -> MetricPoint in
            let value: Double = Double(step) / 2
            return MetricPoint(key: "loss", value: value, step: Int64(step), timestamp: 1000 + Int64(step))
        }
        try await store.logBatch(runID: RunID(run)!, metrics: points, params: [], tags: [])
        return run
    }

    @Test("get-history pages by max_results and page_token, exactly as the client reads it")
    func pages() async throws {
        try await withTestApp { client, store in
            let run = try await runWithHistory(client, store, steps: 5)
            let query = "run_uuid=\(run)&metric_key=loss&run_id=\(run)&max_results=2"
            let first = try await client.mlflowGet(MLflowPaths.metricsGetHistory, query)
            let firstObject = try first.jsonObject()
            let token = try #require(firstObject["next_page_token"] as? String)
            #expect(
                try canonicalText(try #require(firstObject["metrics"]))
                    == canonicalJSON(
                        #"[{"key": "loss", "value": 0, "timestamp": 1000, "step": 0},"#
                            + #" {"key": "loss", "value": 0.5, "timestamp": 1001, "step": 1}]"#))
            var steps: [Int64] = []
            var next: String? = token
            while let current = next {
                let page = try await client.mlflowFetch(
                    MLflowPaths.metricsGetHistory, query + "&page_token=" + Paths.percentEncode(current))
                steps += (page["metrics"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? Int64 }
                next = page["next_page_token"] as? String
            }
            #expect(steps == [2, 3, 4])
            let whole = try await client.mlflowFetch(MLflowPaths.metricsGetHistory, "run_id=\(run)&metric_key=loss")
            #expect(Set(whole.keys) == ["metrics"] && (whole["metrics"] as? [Any])?.count == 5)
        }
    }

    @Test("An unknown key or run has an empty history; max_results must be positive; the key is required")
    func edges() async throws {
        try await withTestApp { client, store in
            let run = try await runWithHistory(client, store, steps: 1)
            #expect(
                try await client.mlflowFetch(MLflowPaths.metricsGetHistory, "run_id=\(run)&metric_key=never").isEmpty)
            let unknown = "run_id=0123456789abcdef0123456789abcdef&metric_key=loss"
            #expect(try await client.mlflowFetch(MLflowPaths.metricsGetHistory, unknown).isEmpty)
            try expectTrackingError(
                try await client.mlflowGet(
                    MLflowPaths.metricsGetHistory, "run_id=\(run)&metric_key=loss&max_results=0"),
                .badRequest, "INVALID_PARAMETER_VALUE")
            try expectTrackingError(
                try await client.mlflowGet(MLflowPaths.metricsGetHistory, "run_id=\(run)"), .badRequest,
                "INVALID_PARAMETER_VALUE")
            try expectTrackingError(
                try await client.mlflowGet(
                    MLflowPaths.metricsGetHistory, "run_id=\(run)&metric_key=loss&page_token=zz"),
                .badRequest, "INVALID_PARAMETER_VALUE")
        }
    }

    @Test("bulk-interval reads repeated run_ids, samples each run keeping both ends, and sorts by run then step")
    func bulkInterval() async throws {
        try await withTestApp { client, store in
            let first = try await runWithHistory(client, store, steps: 1000)
            let second = try await runWithHistory(client, store, steps: 3)
            let answer = try await client.mlflowFetch(
                MLflowPaths.metricsGetHistoryBulkInterval,
                "run_ids=\(second)&run_ids=\(first)&metric_key=loss&max_results=10")
            let points = try #require(answer["metrics"] as? [[String: Any]])
            let keys = points.compactMap { point -> String? in
                guard let run = point["run_id"] as? String, let step = point["step"] as? Int64 else { return nil }
                let digits = String(step)
                return run + String(repeating: "0", count: 8 - digits.count) + digits
            }
            #expect(keys.count == points.count && keys == keys.sorted())
            let firstSteps = points.filter { $0["run_id"] as? String == first }.compactMap { $0["step"] as? Int64 }
            #expect(firstSteps.first == 0 && firstSteps.last == 999 && (2...10).contains(firstSteps.count))
            #expect(points.filter { $0["run_id"] as? String == second }.count == 3)
            #expect(
                points.contains { point in
                    point["run_id"] as? String == second && point["step"] as? Int64 == 2
                        && point["value"] as? Double == 1
                        && point["timestamp"] as? Int64 == 1002 && point["key"] as? String == "loss"
                })

            let ranged = try await client.mlflowFetch(
                MLflowPaths.metricsGetHistoryBulkInterval,
                "run_ids=\(first)&metric_key=loss&start_step=100&end_step=200")
            let steps = (ranged["metrics"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? Int64 }
            #expect(steps == Array(100...200))
        }
    }

    @Test(
        "bulk-interval refuses bad ranges and too many runs",
        arguments: ["&start_step=5", "&start_step=10&end_step=5", "&max_results=2501", "&max_results=0", ""])
    func bulkIntervalRefusals(extra: String) async throws {
        try await withTestApp { client, store in
            let run = try await runWithHistory(client, store, steps: 1)
            let runs =
                extra.isEmpty ? Array(repeating: "run_ids=\(run)", count: 101).joined(separator: "&") : "run_ids=\(run)"
            try expectTrackingError(
                try await client.mlflowGet(
                    MLflowPaths.metricsGetHistoryBulkInterval, runs + "&metric_key=loss" + extra),
                .badRequest, "INVALID_PARAMETER_VALUE")
        }
    }
}
