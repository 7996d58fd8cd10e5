import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("Native API: runs")
struct RunRouteTests {
    @Test("POST /api/experiments/{id}/runs takes the legacy body and answers 201 with the whole run")
    func createLegacy() async throws {
        try await withPinnedApp { client, _ in
            let experiment = try await client.createExperiment("e")
            let response = try await client.send(
                .post, Paths.experimentRuns(experiment),
                body: #"{"name": "r1", "metrics": {"acc": 0.9}, "params": {"lr": 0.01, "layers": 12, "aug": true,"#
                    + #" "opt": "adam"}, "tags": {"team": "vision"}}"#)
            #expect(response.status == .created)
            let runID = Pinned.runID(1)
            #expect(response.headers[.location] == Paths.run(RunID(runID)!))
            let object = try response.jsonObject()
            let tagID = try #require(((object["tags"] as? [[String: Any]])?.first?["id"]) as? Int64)
            let metric = try #require((object["latest_metrics"] as? [[String: Any]])?.first)
            let timestamp = try #require(metric["timestamp"] as? String)
            #expect(
                try response.canonicalBody()
                    == canonicalJSON(
                        """
                        {"id": "\(runID)", "experiment_id": \(experiment), "name": "r1", "status": "RUNNING",
                         "start_time": "\(Pinned.nowText)", "end_time": null, "lifecycle": "active",
                         "parent_run_id": null, "artifact_uri": \(jsonLiteral(object["artifact_uri"] as? String ?? "")),
                         "user_id": "",
                         "params": {"aug": "true", "layers": "12", "lr": "0.01", "opt": "adam"},
                         "metrics": {"acc": 0.9},
                         "latest_metrics": [{"key": "acc", "value": 0.9, "step": 0, "timestamp": "\(timestamp)"}],
                         "tags": [{"id": \(tagID), "key": "team", "value": "vision"}]}
                        """))
            // Legacy metric values carry no time: they are stamped when the request arrives.
            #expect(timestamp.hasSuffix("Z") && timestamp.count == 24)
        }
    }

    @Test("Optional run attributes: status, start_time as ISO or epoch ms, parent_run_id, tag arrays")
    func createWithAttributes() async throws {
        try await withTestApp { client, _ in
            let experiment = try await client.createExperiment("e")
            let parent = try await client.createRun(in: experiment, #"{"start_time": 1767225600123}"#)
            let parentRun = try #require(try await client.getJSON(Paths.run(RunID(parent)!)) as? [String: Any])
            #expect(parentRun["start_time"] as? String == "2026-01-01T00:00:00.123Z")

            let child = try await client.send(
                .post, Paths.experimentRuns(experiment),
                body: #"{"status": "scheduled", "start_time": "2026-03-04T05:06:07.5+01:00","#
                    + #" "parent_run_id": "\#(parent)", "tags": [{"key": "a", "value": "1"}, {"name": "label"}]}"#)
            #expect(child.status == .created)
            let object = try child.jsonObject()
            #expect(object["status"] as? String == "SCHEDULED")
            #expect(object["start_time"] as? String == "2026-03-04T04:06:07.500Z")
            #expect(object["parent_run_id"] as? String == parent)
            #expect(names(try #require(object["tags"] as? [[String: Any]]), key: "key") == ["a", "label"])
            let generatedName = try #require(object["name"] as? String)
            #expect(!generatedName.isEmpty)
        }
    }

    @Test("Run creation failures")
    func createFailures() async throws {
        try await withTestApp { client, _ in
            let experiment = try await client.createExperiment("e")
            let runs = Paths.experimentRuns(experiment)
            try expectError(
                try await client.send(.post, Paths.experimentRuns(404), body: "{}"), .notFound,
                code: "EXPERIMENT_NOT_FOUND")
            try expectError(
                try await client.send(.post, runs, body: #"{"status": "DONE"}"#), .unprocessableContent,
                code: "VALIDATION_FAILED", field: "status")
            try expectError(
                try await client.send(.post, runs, body: #"{"parent_run_id": "abc"}"#), .unprocessableContent,
                code: "VALIDATION_FAILED", field: "parent_run_id")
            try expectError(
                try await client.send(.post, runs, body: #"{"start_time": "yesterday"}"#), .unprocessableContent,
                code: "VALIDATION_FAILED", field: "start_time")
            try expectError(
                try await client.send(.post, runs, body: #"{"params": {"a*b": "1"}}"#), .unprocessableContent,
                code: "VALIDATION_FAILED")
            try expectError(
                try await client.send(.post, runs, body: #"{"metrics": {"acc": "high"}}"#), .unprocessableContent,
                code: "VALIDATION_FAILED", field: "metrics.acc")
            try expectError(
                try await client.send(.post, runs, body: #"{"params": {"lr": null}}"#), .unprocessableContent,
                code: "VALIDATION_FAILED", field: "params.lr")
            let longValue = String(repeating: "x", count: Limits.maxParamValueLength + 1)
            try expectError(
                try await client.send(.post, runs, body: #"{"params": {"p": "\#(longValue)"}}"#),
                .unprocessableContent, code: "VALIDATION_FAILED")
            try expectError(
                try await client.send(.post, runs, body: #"{"metrics": }"#), .badRequest, code: "MALFORMED_JSON")
            try expectError(
                try await client.send(.post, runs, body: "{}", contentType: "application/x-www-form-urlencoded"),
                .unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE")
        }
    }

    @Test("MAX_RUNS_PER_EXPERIMENT refuses a run past the limit")
    func runLimit() async throws {
        try await withTestApp(environment: StoreEnvironment(maxRunsPerExperiment: 2)) { client, _ in
            let experiment = try await client.createExperiment("small")
            try await client.createRun(in: experiment)
            try await client.createRun(in: experiment)
            try expectError(
                try await client.send(.post, Paths.experimentRuns(experiment), body: "{}"), .conflict,
                code: "RUN_LIMIT_REACHED")
        }
    }

    @Test("GET, PATCH (finishing sets the end time), DELETE and restore of one run")
    func lifecycle() async throws {
        try await withPinnedApp { client, _ in
            let experiment = try await client.createExperiment("e")
            let runID = try await client.createRun(in: experiment, #"{"name": "r"}"#)
            let path = Paths.run(RunID(runID)!)
            let shown = try #require(try await client.getJSON(path) as? [String: Any])
            #expect(shown["id"] as? String == runID)
            #expect(shown["end_time"] is NSNull)

            let finished = try await client.send(.patch, path, body: #"{"status": "FINISHED"}"#)
            #expect(finished.status == .ok)
            #expect(try finished.jsonObject()["status"] as? String == "FINISHED")
            #expect(try finished.jsonObject()["end_time"] as? String == Pinned.nowText)

            // A run ends once: another ending is refused and says how it ended; RUNNING resumes it.
            let refused = try await client.send(.patch, path, body: #"{"status": "failed"}"#)
            try expectError(refused, .conflict, code: "INVALID_STATE")
            #expect(
                try refused.jsonObject()["error"] as? String ?? ""
                    == ("Run \(runID) has already ended as FINISHED at 1767225600000, so it cannot end again as FAILED; "
                        + "set its status to RUNNING first to resume it"))
            let again = try await client.send(.patch, path, body: #"{"status": "FINISHED"}"#)
            #expect(try again.jsonObject()["end_time"] as? String == Pinned.nowText, "a repeat changes nothing")
            let resumed = try await client.send(.patch, path, body: #"{"status": "running"}"#)
            #expect(try resumed.jsonObject()["status"] as? String == "RUNNING")
            let renamed = try await client.send(
                .patch, path, body: #"{"name": "renamed", "status": "failed", "end_time": 1767225700000}"#)
            #expect(try renamed.jsonObject()["name"] as? String == "renamed")
            #expect(try renamed.jsonObject()["status"] as? String == "FAILED")
            #expect(try renamed.jsonObject()["end_time"] as? String == "2026-01-01T00:01:40.000Z")

            try expectError(
                try await client.send(.patch, path, body: #"{"status": "paused"}"#), .unprocessableContent,
                code: "VALIDATION_FAILED", field: "status")
            try expectError(
                try await client.send(.patch, path, body: #"{"end_time": "soon"}"#), .unprocessableContent,
                code: "VALIDATION_FAILED", field: "end_time")

            #expect(try await client.send(.delete, path).status == .noContent)
            #expect((try await client.getJSON(path) as? [String: Any])?["lifecycle"] as? String == "deleted")
            let restored = try await client.send(.post, Paths.runRestore(RunID(runID)!))
            #expect(restored.status == .ok)
            #expect(try restored.jsonObject()["lifecycle"] as? String == "active")
        }
    }

    @Test("Unknown and malformed run ids are 404")
    func unknownRuns() async throws {
        try await withTestApp { client, _ in
            let unknown = Paths.run(RunID(Pinned.runID(77))!)
            try expectError(try await client.send(.get, unknown), .notFound, code: "RUN_NOT_FOUND")
            try expectError(try await client.send(.get, "/api/runs/xyz"), .notFound, code: "RUN_NOT_FOUND")
            try expectError(
                try await client.send(.patch, unknown, body: #"{"status": "FINISHED"}"#), .notFound,
                code: "RUN_NOT_FOUND")
            try expectError(try await client.send(.delete, unknown), .notFound, code: "RUN_NOT_FOUND")
            try expectError(
                try await client.send(.post, Paths.runRestore(RunID(Pinned.runID(77))!)), .notFound,
                code: "RUN_NOT_FOUND")
        }
    }
}
