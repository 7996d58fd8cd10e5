import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("MLflow API: logging")
struct MLflowLoggingTests {
    /// A fresh run in a fresh experiment.
    private func newRun(_ client: any TestClientProtocol) async throws -> String {
        try await client.mlflowCreateRun(try await client.mlflowCreateExperiment("e"))
    }

    @Test("log-metric, log-parameter and set-tag answer {} and show in the run; numeric strings are numbers")
    func singleWrites() async throws {
        try await withTestApp { client, _ in
            let run = try await newRun(client)
            for (path, body) in [
                (MLflowPaths.runsLogMetric, #""key": "m", "value": 0.5, "timestamp": "1795956311176", "step": "7""#),
                (MLflowPaths.runsLogMetric, #""key": "z", "value": "2.5", "timestamp": 3"#),
                (MLflowPaths.runsLogParameter, #""key": "lr", "value": "0.1""#),
                (MLflowPaths.runsLogParameter, #""key": "lr", "value": "0.1""#),
                (MLflowPaths.runsLogParameter, #""key": "empty""#),
                (MLflowPaths.runsSetTag, #""key": "t", "value": "v", "future_field": {"x": [1]}"#),
            ] {
                let answer = try await client.mlflowCall(
                    path, #"{"run_uuid": "\#(run)", "run_id": "\#(run)", \#(body)}"#)
                #expect(answer.isEmpty)
            }
            let data = try #require(try await client.mlflowRun(run)["data"] as? [String: Any])
            let metrics = try #require(data["metrics"] as? [[String: Any]])
            let m = try #require(metrics.first { $0["key"] as? String == "m" })
            #expect(m["timestamp"] as? Int64 == 1_795_956_311_176 && m["step"] as? Int64 == 7)
            #expect(metricValues(metrics)["z"] == "2.5")
            let z = try #require(metrics.first { $0["key"] as? String == "z" })
            #expect(z["step"] as? Int64 == 0)
            #expect(keyValues(data["params"]) == ["lr": "0.1", "empty": ""])
            #expect(keyValues(data["tags"])["t"] == "v")
        }
    }

    @Test("NaN and the infinities travel as strings both ways, and the infinities are kept exactly")
    func nonFinite() async throws {
        try await withTestApp { client, _ in
            let run = try await newRun(client)
            for (key, value) in [("nan", "NaN"), ("inf", "Infinity"), ("ninf", "-Infinity")] {
                try await client.mlflowCall(
                    MLflowPaths.runsLogMetric,
                    #"{"run_id": "\#(run)", "key": "\#(key)", "value": "\#(value)", "timestamp": 1}"#)
            }
            let response = try await client.mlflowGet(MLflowPaths.runsGet, "run_id=\(run)")
            #expect(!response.text.contains(":NaN") && !response.text.contains(":Infinity"))
            let data = try #require((try response.jsonObject()["run"] as? [String: Any])?["data"] as? [String: Any])
            #expect(metricValues(data["metrics"]) == ["nan": "NaN", "inf": "Infinity", "ninf": "-Infinity"])
            let history = try await client.mlflowFetch(MLflowPaths.metricsGetHistory, "run_id=\(run)&metric_key=ninf")
            #expect(metricValues(history["metrics"]) == ["ninf": "-Infinity"])
            try expectTrackingError(
                try await client.mlflowPost(
                    MLflowPaths.runsLogMetric, #"{"run_id": "\#(run)", "key": "m", "value": "abc", "timestamp": 1}"#),
                .badRequest, "INVALID_PARAMETER_VALUE")
        }
    }

    @Test("A changed param is 400; a deleted run refuses every write with 400")
    func refusedWrites() async throws {
        try await withTestApp { client, _ in
            let run = try await newRun(client)
            try await client.mlflowCall(
                MLflowPaths.runsLogParameter, #"{"run_id": "\#(run)", "key": "lr", "value": "a"}"#)
            let changed = try await client.mlflowPost(
                MLflowPaths.runsLogParameter, #"{"run_id": "\#(run)", "key": "lr", "value": "b"}"#)
            try expectTrackingError(changed, .badRequest, "INVALID_PARAMETER_VALUE")
            #expect(
                (try changed.jsonObject()["message"] as? String)?.hasPrefix("Changing param values is not allowed")
                    == true)

            try await client.mlflowCall(MLflowPaths.runsDelete, #"{"run_id": "\#(run)"}"#)
            for (path, body) in [
                (MLflowPaths.runsLogMetric, #""key": "m", "value": 1, "timestamp": 1"#),
                (MLflowPaths.runsLogParameter, #""key": "p", "value": "v""#),
                (MLflowPaths.runsSetTag, #""key": "t", "value": "v""#),
                (MLflowPaths.runsDeleteTag, #""key": "mlflow.runName""#),
                (MLflowPaths.runsLogBatch, #""params": [{"key": "p", "value": "v"}]"#),
                (MLflowPaths.runsUpdate, #""status": "FINISHED""#),
                (MLflowPaths.runsLogInputs, #""datasets": []"#),
            ] {
                let response = try await client.mlflowPost(path, #"{"run_id": "\#(run)", \#(body)}"#)
                try expectTrackingError(response, .badRequest, "INVALID_PARAMETER_VALUE")
            }
        }
    }

    @Test(
        "Illegal keys are 400 on every logging endpoint, and nothing is written",
        arguments: ["../escape", "/absolute", "a//b", "trailing/", "bang!", String(repeating: "k", count: 251)])
    func illegalKeys(key: String) async throws {
        try await withTestApp { client, _ in
            let run = try await newRun(client)
            let quoted = jsonLiteral(key)
            for (path, body) in [
                (MLflowPaths.runsLogMetric, #""key": \#(quoted), "value": 1, "timestamp": 1"#),
                (MLflowPaths.runsLogParameter, #""key": \#(quoted), "value": "v""#),
                (MLflowPaths.runsSetTag, #""key": \#(quoted), "value": "v""#),
                (MLflowPaths.runsLogBatch, #""metrics": [{"key": \#(quoted), "value": 1, "timestamp": 1}]"#),
            ] {
                let response = try await client.mlflowPost(path, #"{"run_id": "\#(run)", \#(body)}"#)
                try expectTrackingError(response, .badRequest, "INVALID_PARAMETER_VALUE")
            }
            let data = try #require(try await client.mlflowRun(run)["data"] as? [String: Any])
            #expect(Set(data.keys) == ["tags"])
            #expect(Set(keyValues(data["tags"]).keys) == ["mlflow.runName"])
        }
    }

    @Test("Tags are upserts; delete-tag removes one and a missing tag is 404")
    func tags() async throws {
        try await withTestApp { client, _ in
            let run = try await newRun(client)
            for value in ["draft", "final"] {
                try await client.mlflowCall(
                    MLflowPaths.runsSetTag, #"{"run_id": "\#(run)", "key": "s", "value": "\#(value)"}"#)
            }
            #expect(keyValues((try await client.mlflowRun(run)["data"] as? [String: Any])?["tags"])["s"] == "final")
            #expect(
                try await client.mlflowCall(MLflowPaths.runsDeleteTag, #"{"run_id": "\#(run)", "key": "s"}"#).isEmpty)
            #expect(keyValues((try await client.mlflowRun(run)["data"] as? [String: Any])?["tags"])["s"] == nil)
            try expectTrackingError(
                try await client.mlflowPost(MLflowPaths.runsDeleteTag, #"{"run_id": "\#(run)", "key": "s"}"#),
                .notFound,
                "RESOURCE_DOES_NOT_EXIST")
        }
    }

    @Test("log-inputs records datasets with their context, once; the run reads them back exactly")
    func inputs() async throws {
        try await withTestApp { client, _ in
            let run = try await newRun(client)
            let input =
                #"{"tags": [{"key": "mlflow.data.context", "value": "eval"}],"#
                + #" "dataset": {"name": "d1", "digest": "abc123", "source_type": "local","#
                + #" "source": "{\"uri\": \"/x\"}", "schema": "{}", "profile": "{}"}}"#
            for _ in 0..<2 {
                let answer = try await client.mlflowCall(
                    MLflowPaths.runsLogInputs, #"{"run_id": "\#(run)", "datasets": [\#(input)], "models": []}"#)
                #expect(answer.isEmpty)
            }
            let inputs = try #require(try await client.mlflowRun(run)["inputs"] as? [String: Any])
            #expect(try canonicalText(inputs) == canonicalJSON(#"{"dataset_inputs": [\#(input)]}"#))
            let tooLong =
                #"{"name": "d", "digest": "\#(String(repeating: "x", count: 37))","#
                + #" "source_type": "local", "source": "{}"}"#
            try expectTrackingError(
                try await client.mlflowPost(
                    MLflowPaths.runsLogInputs, #"{"run_id": "\#(run)", "datasets": [{"dataset": \#(tooLong)}]}"#),
                .badRequest, "INVALID_PARAMETER_VALUE")
        }
    }

    @Test("runs/outputs and runs/log-model answer {} for a known run and 404 for an unknown one")
    func outputs() async throws {
        try await withTestApp { client, _ in
            let run = try await newRun(client)
            let models = #""models": [{"model_id": "m-1", "step": 0}]"#
            #expect(try await client.mlflowCall(MLflowPaths.runsOutputs, #"{"run_id": "\#(run)", \#(models)}"#).isEmpty)
            #expect(
                try await client.mlflowCall(MLflowPaths.runsLogModel, #"{"run_id": "\#(run)", "model_json": "{}"}"#)
                    .isEmpty)
            try expectTrackingError(
                try await client.mlflowPost(
                    MLflowPaths.runsOutputs, #"{"run_id": "0123456789abcdef0123456789abcdef"}"#),
                .notFound, "RESOURCE_DOES_NOT_EXIST")
        }
    }
}
