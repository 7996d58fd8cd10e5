import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("MLflow API: experiments")
struct MLflowExperimentTests {
    @Test("create answers the id as a string; get answers the whole experiment with numbers for times")
    func createAndGet() async throws {
        try await withPinnedApp { client, _ in
            let id = try await client.mlflowCreateExperiment(
                "vision", #""tags": [{"key": "team", "value": "cv"}, {"key": "empty"}]"#)
            #expect(id == "1")
            let response = try await client.mlflowGet(MLflowPaths.experimentsGet, "experiment_id=1")
            #expect(
                try response.canonicalBody()
                    == canonicalJSON(
                        """
                        {"experiment": {"experiment_id": "1", "name": "vision",
                         "artifact_location": "mlflow-artifacts:/1",
                         "lifecycle_stage": "active", "last_update_time": \(Pinned.now), "creation_time": \(Pinned.now),
                         "tags": [{"key": "empty", "value": ""}, {"key": "team", "value": "cv"}]}}
                        """))
        }
    }

    @Test("The Default experiment has id 0; an experiment without tags has no tags key; an artifact location is kept")
    func defaultAndOmissions() async throws {
        try await withPinnedApp { client, _ in
            let answer = try await client.mlflowFetch(MLflowPaths.experimentsGetByName, "experiment_name=Default")
            let experiment = try #require(answer["experiment"] as? [String: Any])
            #expect(experiment["experiment_id"] as? String == "0")
            #expect(experiment["artifact_location"] as? String == "mlflow-artifacts:/0")
            #expect(experiment["tags"] == nil)
            let id = try await client.mlflowCreateExperiment("placed", #""artifact_location": "s3://bucket/x""#)
            let placed = try await client.mlflowFetch(MLflowPaths.experimentsGet, "experiment_id=\(id)")
            #expect((placed["experiment"] as? [String: Any])?["artifact_location"] as? String == "s3://bucket/x")
        }
    }

    @Test("get-by-name decodes + as a space and %2B as a plus; a miss is 404 RESOURCE_DOES_NOT_EXIST")
    func getByName() async throws {
        try await withTestApp { client, _ in
            let id = try await client.mlflowCreateExperiment("my exp/a b+c&d")
            let found = try await client.mlflowFetch(
                MLflowPaths.experimentsGetByName, "experiment_name=my+exp%2Fa+b%2Bc%26d")
            #expect((found["experiment"] as? [String: Any])?["experiment_id"] as? String == id)
            let viaPost = try await client.mlflowCall(
                MLflowPaths.experimentsGetByName, #"{"experiment_name": "my exp/a b+c&d"}"#)
            #expect((viaPost["experiment"] as? [String: Any])?["experiment_id"] as? String == id)
            let miss = try await client.mlflowGet(MLflowPaths.experimentsGetByName, "experiment_name=nope")
            try expectTrackingError(miss, .notFound, "RESOURCE_DOES_NOT_EXIST")
            #expect(try miss.jsonObject()["message"] as? String == "Could not find experiment with name 'nope'")
        }
    }

    @Test("Errors: a taken name, a missing name, an unknown id, a non-integer id")
    func errors() async throws {
        try await withTestApp { client, _ in
            try expectTrackingError(
                try await client.mlflowPost(MLflowPaths.experimentsCreate, #"{"name": "Default"}"#), .badRequest,
                "RESOURCE_ALREADY_EXISTS")
            try expectTrackingError(
                try await client.mlflowPost(MLflowPaths.experimentsCreate, "{}"), .badRequest, "INVALID_PARAMETER_VALUE"
            )
            try expectTrackingError(
                try await client.mlflowPost(
                    MLflowPaths.experimentsCreate, #"{"name": "\#(String(repeating: "n", count: 501))"}"#),
                .badRequest, "INVALID_PARAMETER_VALUE")
            try expectTrackingError(
                try await client.mlflowGet(MLflowPaths.experimentsGet, "experiment_id=987654321"), .notFound,
                "RESOURCE_DOES_NOT_EXIST")
            let nonInteger = try await client.mlflowGet(MLflowPaths.experimentsGet, "experiment_id=abc")
            try expectTrackingError(nonInteger, .badRequest, "INVALID_PARAMETER_VALUE")
            #expect(
                try nonInteger.jsonObject()["message"] as? String
                    == "Invalid experiment ID 'abc'. Experiment ID must be a valid integer.")
        }
    }

    @Test("update renames; onto a taken name is RESOURCE_ALREADY_EXISTS; a deleted experiment cannot be renamed")
    func rename() async throws {
        try await withTestApp { client, _ in
            let id = try await client.mlflowCreateExperiment("old")
            let answer = try await client.mlflowCall(
                MLflowPaths.experimentsUpdate, #"{"experiment_id": "\#(id)", "new_name": "new"}"#)
            #expect(answer.isEmpty)
            let renamed = try await client.mlflowFetch(MLflowPaths.experimentsGetByName, "experiment_name=new")
            #expect((renamed["experiment"] as? [String: Any])?["experiment_id"] as? String == id)
            try expectTrackingError(
                try await client.mlflowPost(
                    MLflowPaths.experimentsUpdate, #"{"experiment_id": "\#(id)", "new_name": "Default"}"#),
                .badRequest, "RESOURCE_ALREADY_EXISTS")
            try await client.mlflowCall(MLflowPaths.experimentsDelete, #"{"experiment_id": "\#(id)"}"#)
            try expectTrackingError(
                try await client.mlflowPost(
                    MLflowPaths.experimentsUpdate, #"{"experiment_id": "\#(id)", "new_name": "other"}"#),
                .badRequest, "INVALID_PARAMETER_VALUE")
        }
    }

    @Test("delete and restore carry the runs; deleting a deleted or restoring an active experiment is 404")
    func deleteAndRestore() async throws {
        try await withTestApp { client, _ in
            let id = try await client.mlflowCreateExperiment("e")
            let run = try await client.mlflowCreateRun(id)
            let body = #"{"experiment_id": "\#(id)"}"#
            try expectTrackingError(
                try await client.mlflowPost(MLflowPaths.experimentsRestore, body), .notFound, "RESOURCE_DOES_NOT_EXIST")
            #expect(try await client.mlflowCall(MLflowPaths.experimentsDelete, body).isEmpty)
            #expect(try await client.mlflowRunInfo(run)["lifecycle_stage"] as? String == "deleted")
            let deleted = try await client.mlflowFetch(MLflowPaths.experimentsGetByName, "experiment_name=e")
            #expect((deleted["experiment"] as? [String: Any])?["lifecycle_stage"] as? String == "deleted")
            try expectTrackingError(
                try await client.mlflowPost(MLflowPaths.experimentsDelete, body), .notFound, "RESOURCE_DOES_NOT_EXIST")
            #expect(try await client.mlflowCall(MLflowPaths.experimentsRestore, body).isEmpty)
            #expect(try await client.mlflowRunInfo(run)["lifecycle_stage"] as? String == "active")
        }
    }

    @Test("Experiment tags are upserted and deleted; a missing tag is 404; a deleted experiment's tags are frozen")
    func tags() async throws {
        try await withTestApp { client, _ in
            let id = try await client.mlflowCreateExperiment("e")
            for value in ["draft", "final"] {
                let answer = try await client.mlflowCall(
                    MLflowPaths.experimentsSetTag, #"{"experiment_id": "\#(id)", "key": "stage", "value": "\#(value)"}"#
                )
                #expect(answer.isEmpty)
            }
            let fetched = try await client.mlflowFetch(MLflowPaths.experimentsGet, "experiment_id=\(id)")
            #expect(keyValues((fetched["experiment"] as? [String: Any])?["tags"]) == ["stage": "final"])
            let remove = #"{"experiment_id": "\#(id)", "key": "stage"}"#
            #expect(try await client.mlflowCall(MLflowPaths.experimentsDeleteTag, remove).isEmpty)
            try expectTrackingError(
                try await client.mlflowPost(MLflowPaths.experimentsDeleteTag, remove), .notFound,
                "RESOURCE_DOES_NOT_EXIST")
            try expectTrackingError(
                try await client.mlflowPost(
                    MLflowPaths.experimentsSetTag,
                    #"{"experiment_id": "\#(id)", "key": "k", "value": "\#(String(repeating: "v", count: 20_001))"}"#),
                .badRequest, "INVALID_PARAMETER_VALUE")
            try await client.mlflowCall(MLflowPaths.experimentsDelete, #"{"experiment_id": "\#(id)"}"#)
            try expectTrackingError(
                try await client.mlflowPost(
                    MLflowPaths.experimentsSetTag, #"{"experiment_id": "\#(id)", "key": "k", "value": "v"}"#),
                .badRequest, "INVALID_PARAMETER_VALUE")
        }
    }
}
