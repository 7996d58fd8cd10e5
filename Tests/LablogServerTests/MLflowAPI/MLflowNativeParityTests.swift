import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("MLflow API and native API: one store, two views")
struct MLflowNativeParityTests {
    @Test("A run logged through MLflow reads back through /api/runs/{id}")
    func mlflowToNative() async throws {
        try await withTestApp { client, _ in
            let experiment = try await client.mlflowCreateExperiment("shared")
            let run = try await client.mlflowCreateRun(experiment, #""run_name": "from-mlflow", "user_id": "ada""#)
            try await client.mlflowCall(
                MLflowPaths.runsLogBatch,
                #"{"run_id": "\#(run)", "metrics": [{"key": "acc", "value": 0.9, "timestamp": 5, "step": 3}],"#
                    + #" "params": [{"key": "lr", "value": "0.01"}], "tags": [{"key": "team", "value": "cv"}]}"#)
            try await client.mlflowCall(
                MLflowPaths.runsUpdate, #"{"run_id": "\#(run)", "status": "FINISHED", "end_time": 9000}"#)

            let native = try #require(try await client.getJSON(Paths.run(RunID(run)!)) as? [String: Any])
            #expect(native["name"] as? String == "from-mlflow")
            #expect(native["experiment_id"] as? Int64 == Int64(experiment))
            #expect(native["status"] as? String == "FINISHED")
            #expect(native["user_id"] as? String == "ada")
            #expect(native["end_time"] as? String == "1970-01-01T00:00:09.000Z")
            #expect(native["params"] as? [String: String] == ["lr": "0.01"])
            #expect((native["metrics"] as? [String: Double])?["acc"] == 0.9)
            #expect(names(try #require(native["tags"] as? [[String: Any]]), key: "key") == ["team"])
            let history = try await client.getList(Paths.runMetricHistory(RunID(run)!, key: "acc"))
            #expect(history.map { $0["step"] as? Int64 } == [3])

            let experiments = try await client.getList(Paths.experiments)
            #expect(experiments.contains { $0["name"] as? String == "shared" })
        }
    }

    @Test("A run made through the native API reads back through MLflow's API")
    func nativeToMLflow() async throws {
        try await withTestApp { client, _ in
            let experiment = try await client.createExperiment("native", #""description": "notes""#)
            let parent = try await client.createRun(in: experiment, #"{"name": "parent"}"#)
            let run = try await client.createRun(
                in: experiment,
                #"{"name": "child", "parent_run_id": "\#(parent)", "params": {"lr": 0.01}, "tags": {"team": "cv"}}"#)
            try await client.logMetrics(to: run, #"[{"key": "loss", "value": 0.25, "step": 4, "timestamp": 7}]"#)

            let got = try await client.mlflowRun(run)
            let info = try #require(got["info"] as? [String: Any])
            #expect(info["run_name"] as? String == "child")
            #expect(info["experiment_id"] as? String == String(experiment))
            let data = try #require(got["data"] as? [String: Any])
            #expect(keyValues(data["params"]) == ["lr": "0.01"])
            let tags = keyValues(data["tags"])
            #expect(tags["team"] == "cv" && tags["mlflow.runName"] == "child" && tags["mlflow.parentRunId"] == parent)
            #expect(
                try canonicalText(try #require(data["metrics"]))
                    == canonicalJSON(#"[{"key": "loss", "value": 0.25, "timestamp": 7, "step": 4}]"#))

            let found = try await client.mlflowCall(
                MLflowPaths.runsSearch, #"{"experiment_ids": ["\#(experiment)"], "filter": "params.lr = '0.01'"}"#)
            #expect((found["runs"] as? [[String: Any]])?.count == 1)
            let shown = try await client.mlflowFetch(MLflowPaths.experimentsGet, "experiment_id=\(experiment)")
            #expect(keyValues((shown["experiment"] as? [String: Any])?["tags"]) == ["mlflow.note.content": "notes"])
        }
    }
}
