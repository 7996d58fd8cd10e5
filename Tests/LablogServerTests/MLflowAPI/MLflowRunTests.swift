import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("MLflow API: runs")
struct MLflowRunTests {
    @Test("create answers the whole run: info with string ids and number times, tags, empty inputs and outputs")
    func create() async throws {
        try await withPinnedApp { client, _ in
            let experiment = try await client.mlflowCreateExperiment("e")
            let response = try await client.mlflowPost(
                MLflowPaths.runsCreate,
                #"{"experiment_id": "\#(experiment)", "user_id": "ada", "run_name": "given","#
                    + #" "start_time": "1700000000000", "tags": [{"key": "team", "value": "vision"},"#
                    + #" {"key": "mlflow.runName", "value": "given"}]}"#
            )
            let id = Pinned.runID(1)
            #expect(
                try response.canonicalBody()
                    == canonicalJSON(
                        """
                        {"run": {"info": {"run_id": "\(id)", "run_uuid": "\(id)", "run_name": "given",
                          "experiment_id": "1", "user_id": "ada", "status": "RUNNING", "start_time": 1700000000000,
                          "artifact_uri": "mlflow-artifacts:/1/\(id)/artifacts", "lifecycle_stage": "active"},
                         "data": {"tags": [{"key": "mlflow.runName", "value": "given"},
                                           {"key": "team", "value": "vision"}]},
                         "inputs": {}, "outputs": {}}}
                        """))
        }
    }

    @Test("A run without a name gets one, mirrored in mlflow.runName; update, set-tag and log-batch keep them in sync")
    func names() async throws {
        try await withTestApp { client, _ in
            let experiment = try await client.mlflowCreateExperiment("e")
            let run = try await client.mlflowCreateRun(experiment)
            let created = try await client.mlflowRun(run)
            let name = try #require((created["info"] as? [String: Any])?["run_name"] as? String)
            #expect(!name.isEmpty)
            #expect(keyValues((created["data"] as? [String: Any])?["tags"])["mlflow.runName"] == name)

            let updated = try await client.mlflowCall(
                MLflowPaths.runsUpdate, #"{"run_id": "\#(run)", "run_name": "renamed"}"#)
            #expect((updated["run_info"] as? [String: Any])?["run_name"] as? String == "renamed")
            #expect(
                keyValues((try await client.mlflowRun(run)["data"] as? [String: Any])?["tags"])["mlflow.runName"]
                    == "renamed")
            try await client.mlflowCall(
                MLflowPaths.runsSetTag, #"{"run_id": "\#(run)", "key": "mlflow.runName", "value": "tagged"}"#)
            #expect(try await client.mlflowRunInfo(run)["run_name"] as? String == "tagged")
            try await client.mlflowCall(
                MLflowPaths.runsLogBatch,
                #"{"run_id": "\#(run)", "tags": [{"key": "mlflow.runName", "value": "batched"}]}"#)
            #expect(try await client.mlflowRunInfo(run)["run_name"] as? String == "batched")

            let conflict = try await client.mlflowPost(
                MLflowPaths.runsCreate,
                #"{"experiment_id": "\#(experiment)", "run_name": "a","#
                    + #" "tags": [{"key": "mlflow.runName", "value": "b"}]}"#
            )
            try expectTrackingError(conflict, .badRequest, "INVALID_PARAMETER_VALUE")
        }
    }

    @Test("The mlflow.parentRunId tag makes a nested run; a parent unknown here stays a plain tag")
    func nested() async throws {
        try await withTestApp { client, _ in
            let experiment = try await client.mlflowCreateExperiment("e")
            let parent = try await client.mlflowCreateRun(experiment)
            let child = try await client.mlflowCreateRun(
                experiment, #""tags": [{"key": "mlflow.parentRunId", "value": "\#(parent)"}]"#)
            let native = try #require(try await client.getJSON(Paths.run(RunID(child)!)) as? [String: Any])
            #expect(native["parent_run_id"] as? String == parent)
            #expect(
                keyValues((try await client.mlflowRun(child)["data"] as? [String: Any])?["tags"])["mlflow.parentRunId"]
                    == parent)

            let stranger = String(repeating: "ab", count: 16)
            let orphan = try await client.mlflowCreateRun(
                experiment, #""tags": [{"key": "mlflow.parentRunId", "value": "\#(stranger)"}]"#)
            let orphanNative = try #require(try await client.getJSON(Paths.run(RunID(orphan)!)) as? [String: Any])
            #expect(orphanNative["parent_run_id"] is NSNull)
            #expect(
                keyValues((try await client.mlflowRun(orphan)["data"] as? [String: Any])?["tags"])["mlflow.parentRunId"]
                    == stranger)
        }
    }

    @Test("get takes run_id or run_uuid, over GET and POST; missing, unknown and malformed ids")
    func get() async throws {
        try await withTestApp { client, _ in
            let run = try await client.mlflowCreateRun(try await client.mlflowCreateExperiment("e"))
            for query in ["run_uuid=\(run)", "run_id=\(run)&run_uuid=\(run)", "run_id=&run_uuid=\(run)"] {
                let answer = try await client.mlflowFetch(MLflowPaths.runsGet, query)
                #expect(((answer["run"] as? [String: Any])?["info"] as? [String: Any])?["run_id"] as? String == run)
            }
            let posted = try await client.mlflowCall(MLflowPaths.runsGet, #"{"run_uuid": "\#(run)"}"#)
            #expect(((posted["run"] as? [String: Any])?["info"] as? [String: Any])?["run_id"] as? String == run)
            try expectTrackingError(
                try await client.mlflowGet(MLflowPaths.runsGet, ""), .badRequest, "INVALID_PARAMETER_VALUE")
            let unknown = try await client.mlflowGet(MLflowPaths.runsGet, "run_id=0123456789abcdef0123456789abcdef")
            try expectTrackingError(unknown, .notFound, "RESOURCE_DOES_NOT_EXIST")
            #expect(
                try unknown.jsonObject()["message"] as? String
                    == "Run with id=0123456789abcdef0123456789abcdef not found")
            try expectTrackingError(
                try await client.mlflowGet(MLflowPaths.runsGet, "run_id=deadbeef"), .notFound, "RESOURCE_DOES_NOT_EXIST"
            )
        }
    }

    @Test("update takes status by name or number and end_time as a number or a numeric string")
    func update() async throws {
        try await withTestApp { client, _ in
            let run = try await client.mlflowCreateRun(try await client.mlflowCreateExperiment("e"))
            #expect(try await client.mlflowRunInfo(run)["end_time"] == nil)
            let failed = try await client.mlflowCall(
                MLflowPaths.runsUpdate, #"{"run_id": "\#(run)", "status": 4, "end_time": "1800000000000"}"#)
            let info = try #require(failed["run_info"] as? [String: Any])
            #expect(info["status"] as? String == "FAILED")
            #expect(info["end_time"] as? Int64 == 1_800_000_000_000)
            // A run ends once: another ending is refused until RUNNING resumes it.
            try expectTrackingError(
                try await client.mlflowPost(
                    MLflowPaths.runsUpdate, #"{"run_uuid": "\#(run)", "status": "KILLED", "end_time": 1800000000001}"#),
                .badRequest, "INVALID_PARAMETER_VALUE")
            _ = try await client.mlflowCall(MLflowPaths.runsUpdate, #"{"run_id": "\#(run)", "status": "RUNNING"}"#)
            let killed = try await client.mlflowCall(
                MLflowPaths.runsUpdate, #"{"run_uuid": "\#(run)", "status": "KILLED", "end_time": 1800000000001}"#)
            #expect((killed["run_info"] as? [String: Any])?["status"] as? String == "KILLED")
            let running = try await client.mlflowCall(
                MLflowPaths.runsUpdate, #"{"run_id": "\#(run)", "status": "RUNNING"}"#)
            #expect((running["run_info"] as? [String: Any])?["status"] as? String == "RUNNING")
            try expectTrackingError(
                try await client.mlflowPost(MLflowPaths.runsUpdate, #"{"run_id": "\#(run)", "status": "DONE"}"#),
                .badRequest, "INVALID_PARAMETER_VALUE")
            try expectTrackingError(
                try await client.mlflowPost(MLflowPaths.runsUpdate, #"{"run_id": "\#(run)", "end_time": "later"}"#),
                .badRequest, "INVALID_PARAMETER_VALUE")
        }
    }

    @Test("delete and restore answer {} twice over; a deleted run stays readable")
    func deleteAndRestore() async throws {
        try await withTestApp { client, _ in
            let run = try await client.mlflowCreateRun(try await client.mlflowCreateExperiment("e"))
            for path in [MLflowPaths.runsDelete, MLflowPaths.runsDelete] {
                #expect(try await client.mlflowCall(path, #"{"run_id": "\#(run)"}"#).isEmpty)
            }
            #expect(try await client.mlflowRunInfo(run)["lifecycle_stage"] as? String == "deleted")
            for path in [MLflowPaths.runsRestore, MLflowPaths.runsRestore] {
                #expect(try await client.mlflowCall(path, #"{"run_id": "\#(run)"}"#).isEmpty)
            }
            #expect(try await client.mlflowRunInfo(run)["lifecycle_stage"] as? String == "active")
            try expectTrackingError(
                try await client.mlflowPost(MLflowPaths.runsDelete, #"{"run_id": "0123456789abcdef0123456789abcdef"}"#),
                .notFound, "RESOURCE_DOES_NOT_EXIST")
        }
    }

    @Test("Runs go to Default without an experiment; not into a deleted (400) or unknown (404) experiment")
    func experiments() async throws {
        try await withTestApp { client, _ in
            let created = try await client.mlflowCall(MLflowPaths.runsCreate, #"{"start_time": 5}"#)
            #expect(((created["run"] as? [String: Any])?["info"] as? [String: Any])?["experiment_id"] as? String == "0")
            let experiment = try await client.mlflowCreateExperiment("e")
            try await client.mlflowCall(MLflowPaths.experimentsDelete, #"{"experiment_id": "\#(experiment)"}"#)
            try expectTrackingError(
                try await client.mlflowPost(MLflowPaths.runsCreate, #"{"experiment_id": "\#(experiment)"}"#),
                .badRequest, "INVALID_PARAMETER_VALUE")
            try expectTrackingError(
                try await client.mlflowPost(MLflowPaths.runsCreate, #"{"experiment_id": "987654321"}"#), .notFound,
                "RESOURCE_DOES_NOT_EXIST")
        }
    }
}
