import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("MLflow API: runs/log-batch")
struct MLflowLogBatchTests {
    private func newRun(_ client: any TestClientProtocol) async throws -> String {
        try await client.mlflowCreateRun(try await client.mlflowCreateExperiment("e"))
    }

    private static func metrics(_ count: Int) -> String {
        (0..<count).map { #"{"key": "m\#($0)", "value": \#($0), "timestamp": 1000, "step": 0, "run_id": "x"}"# }
            .joined(separator: ", ")
    }

    private static func pairs(_ count: Int, prefix: String) -> String {
        (0..<count).map { #"{"key": "\#(prefix)\#($0)", "value": "\#($0)"}"# }.joined(separator: ", ")
    }

    @Test(
        "Over MLflow's limits the batch is refused whole",
        arguments: [
            (1001, 0, 0, "at most 1000 metrics"), (0, 101, 0, "at most 100 params"), (0, 0, 101, "at most 100 tags"),
            (901, 100, 0, "at most 1000 metrics, params, and tags in total"),
        ])
    func limits(metrics: Int, params: Int, tags: Int, message: String) async throws {
        try await withTestApp { client, _ in
            let run = try await newRun(client)
            let body =
                #"{"run_id": "\#(run)", "metrics": [\#(Self.metrics(metrics))],"#
                + #" "params": [\#(Self.pairs(params, prefix: "p"))], "tags": [\#(Self.pairs(tags, prefix: "t"))]}"#
            let response = try await client.mlflowPost(MLflowPaths.runsLogBatch, body)
            try expectTrackingError(response, .badRequest, "INVALID_PARAMETER_VALUE")
            #expect((try response.jsonObject()["message"] as? String)?.contains(message) == true)
            let data = try #require(try await client.mlflowRun(run)["data"] as? [String: Any])
            #expect(data["metrics"] == nil && data["params"] == nil)
        }
    }

    @Test("A batch at the limits is stored; an empty batch is fine")
    func atTheLimits() async throws {
        try await withTestApp { client, _ in
            let run = try await newRun(client)
            try await client.mlflowCall(
                MLflowPaths.runsLogBatch,
                #"{"run_id": "\#(run)", "metrics": [\#(Self.metrics(800))],"#
                    + #" "params": [\#(Self.pairs(100, prefix: "p"))], "tags": [\#(Self.pairs(100, prefix: "t"))]}"#)
            let data = try #require(try await client.mlflowRun(run)["data"] as? [String: Any])
            #expect((data["metrics"] as? [Any])?.count == 800)
            #expect((data["params"] as? [Any])?.count == 100)
            #expect(try await client.mlflowCall(MLflowPaths.runsLogBatch, #"{"run_id": "\#(run)"}"#).isEmpty)
            #expect(
                try await client.mlflowCall(
                    MLflowPaths.runsLogBatch, #"{"run_id": "\#(run)", "metrics": [], "params": [], "tags": []}"#
                ).isEmpty)
        }
    }

    @Test("Duplicate param keys are refused even with equal values; duplicate tag keys keep the last value")
    func duplicates() async throws {
        try await withTestApp { client, _ in
            let run = try await newRun(client)
            let params = #"[{"key": "lr", "value": "0.1"}, {"key": "lr", "value": "0.1"}]"#
            let response = try await client.mlflowPost(
                MLflowPaths.runsLogBatch, #"{"run_id": "\#(run)", "params": \#(params)}"#)
            try expectTrackingError(response, .badRequest, "INVALID_PARAMETER_VALUE")
            #expect((try response.jsonObject()["message"] as? String)?.contains("['lr']") == true)
            let tags = #"[{"key": "t", "value": "first"}, {"key": "t", "value": "last"}]"#
            try await client.mlflowCall(MLflowPaths.runsLogBatch, #"{"run_id": "\#(run)", "tags": \#(tags)}"#)
            let data = try #require(try await client.mlflowRun(run)["data"] as? [String: Any])
            #expect(data["params"] == nil)
            #expect(keyValues(data["tags"])["t"] == "last")
        }
    }

    @Test("A batch that changes a param writes nothing")
    func changedParam() async throws {
        try await withTestApp { client, _ in
            let run = try await newRun(client)
            try await client.mlflowCall(
                MLflowPaths.runsLogParameter, #"{"run_id": "\#(run)", "key": "lr", "value": "0.1"}"#)
            let body =
                #"{"run_id": "\#(run)", "params": [{"key": "lr", "value": "0.2"}, {"key": "new", "value": "x"}],"#
                + #" "metrics": [{"key": "m", "value": 1, "timestamp": 1}]}"#
            try expectTrackingError(
                try await client.mlflowPost(MLflowPaths.runsLogBatch, body), .badRequest, "INVALID_PARAMETER_VALUE")
            let data = try #require(try await client.mlflowRun(run)["data"] as? [String: Any])
            #expect(keyValues(data["params"]) == ["lr": "0.1"])
            #expect(data["metrics"] == nil)
        }
    }

    @Test("Over-long param and tag values are truncated to 6000 and 8000 characters, not refused")
    func truncation() async throws {
        try await withTestApp { client, _ in
            let run = try await newRun(client)
            let long = { (character: String, count: Int) in String(repeating: character, count: count) }
            try await client.mlflowCall(
                MLflowPaths.runsLogParameter, #"{"run_id": "\#(run)", "key": "single", "value": "\#(long("p", 6001))"}"#
            )
            try await client.mlflowCall(
                MLflowPaths.runsSetTag, #"{"run_id": "\#(run)", "key": "single", "value": "\#(long("t", 8001))"}"#)
            try await client.mlflowCall(
                MLflowPaths.runsLogBatch,
                #"{"run_id": "\#(run)", "params": [{"key": "batched", "value": "\#(long("é", 7000))"}],"#
                    + #" "tags": [{"key": "batched", "value": "\#(long("u", 9000))"}]}"#)
            let data = try #require(try await client.mlflowRun(run)["data"] as? [String: Any])
            #expect(keyValues(data["params"]) == ["single": long("p", 6000), "batched": long("é", 6000)])
            let tags = keyValues(data["tags"])
            #expect(tags["single"] == long("t", 8000) && tags["batched"] == long("u", 8000))
        }
    }

    @Test(
        "Malformed batches are 400 INVALID_PARAMETER_VALUE",
        arguments: [
            #""metrics": "many""#, #""metrics": [{"value": 1, "timestamp": 1}]"#,
            #""metrics": [{"key": "m", "value": 1, "step": 0}]"#,
            #""metrics": [{"key": "m", "value": 1, "timestamp": -1}]"#,
            #""metrics": [{"key": "m", "value": {"x": 1}, "timestamp": 1}]"#, #""params": [{"value": "v"}]"#,
            #""tags": [{"key": 5, "value": "v"}]"#,
        ])
    func malformed(member: String) async throws {
        try await withTestApp { client, _ in
            let run = try await newRun(client)
            let response = try await client.mlflowPost(MLflowPaths.runsLogBatch, #"{"run_id": "\#(run)", \#(member)}"#)
            try expectTrackingError(response, .badRequest, "INVALID_PARAMETER_VALUE")
        }
    }
}
