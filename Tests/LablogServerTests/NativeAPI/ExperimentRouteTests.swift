import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("Native API: experiments")
struct ExperimentRouteTests {
    @Test("POST /api/experiments creates an experiment: 201, Location and the whole experiment")
    func create() async throws {
        try await withPinnedApp { client, _ in
            let response = try await client.send(
                .post, Paths.experiments,
                body: #"{"name": "resnet", "description": "baseline sweep", "status": "completed","#
                    + #" "tags": {"team": "vision"}}"#)
            #expect(response.status == .created)
            let id = try #require(try response.jsonObject()["id"] as? Int64)
            #expect(response.headers[.location] == Paths.experiment(id))
            let tagID = try #require(((try response.jsonObject()["tags"] as? [[String: Any]])?.first?["id"]) as? Int64)
            #expect(
                try response.canonicalBody()
                    == canonicalJSON(
                        """
                        {"id": \(id), "name": "resnet", "description": "baseline sweep", "status": "completed",
                         "lifecycle": "active", "tags": [{"id": \(tagID), "key": "team", "value": "vision"}],
                         "created_at": "\(Pinned.nowText)", "updated_at": "\(Pinned.nowText)",
                         "run_count": 0, "last_run_at": null}
                        """))
        }
    }

    @Test("Tags may be given as an object, as key/value entries, or as legacy names")
    func createWithTagShapes() async throws {
        try await withTestApp { client, _ in
            let id = try await client.createExperiment(
                "tagged", #""tags": [{"key": "team", "value": "nlp"}, {"name": "baseline"}, "quick"]"#)
            let experiment = try #require(try await client.getJSON(Paths.experiment(id)) as? [String: Any])
            let tags = try #require(experiment["tags"] as? [[String: Any]])
            let pairs = tags.map { "\($0["key"] as? String ?? "?")=\($0["value"] as? String ?? "?")" }.sorted()
            #expect(pairs == ["baseline=", "quick=", "team=nlp"])
        }
    }

    @Test("GET /api/experiments/{id} returns the experiment; unknown and non-integer ids are 404")
    func show() async throws {
        try await withTestApp { client, _ in
            let id = try await client.createExperiment("shown")
            let experiment = try #require(try await client.getJSON(Paths.experiment(id)) as? [String: Any])
            #expect(experiment["name"] as? String == "shown")
            #expect(experiment["status"] as? String == "running")
            try expectError(try await client.send(.get, Paths.experiment(999)), .notFound, code: "EXPERIMENT_NOT_FOUND")
            try expectError(
                try await client.send(.get, "/api/experiments/abc"), .notFound, code: "EXPERIMENT_NOT_FOUND")
        }
    }

    @Test("Creation failures: duplicate 409, empty or missing name 422, bad status 422, bad JSON 400, 415")
    func createFailures() async throws {
        try await withTestApp { client, _ in
            try await client.createExperiment("taken")
            try expectError(
                try await client.send(.post, Paths.experiments, body: #"{"name": "taken"}"#), .conflict,
                code: "ALREADY_EXISTS")
            try expectError(
                try await client.send(.post, Paths.experiments, body: #"{"name": "  "}"#), .unprocessableContent,
                code: "VALIDATION_FAILED", field: "name")
            try expectError(
                try await client.send(.post, Paths.experiments, body: #"{"description": "x"}"#),
                .unprocessableContent, code: "VALIDATION_FAILED", field: "name")
            try expectError(
                try await client.send(.post, Paths.experiments, body: #"{"name": 42}"#), .unprocessableContent,
                code: "VALIDATION_FAILED", field: "name")
            try expectError(
                try await client.send(.post, Paths.experiments, body: #"{"name": "s", "status": "paused"}"#),
                .unprocessableContent, code: "VALIDATION_FAILED", field: "status")
            try expectError(
                try await client.send(.post, Paths.experiments, body: #"{"name": "s", "tags": 5}"#),
                .unprocessableContent, code: "VALIDATION_FAILED", field: "tags")
            try expectError(
                try await client.send(.post, Paths.experiments, body: #"{"name": "#), .badRequest,
                code: "MALFORMED_JSON")
            try expectError(
                try await client.send(.post, Paths.experiments, body: ""), .badRequest, code: "MALFORMED_JSON")
            try expectError(
                try await client.send(.post, Paths.experiments, body: "name=x", contentType: "text/plain"),
                .unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE")
            try expectError(
                try await client.send(.post, Paths.experiments, body: #"{"name": "x"}"#, contentType: nil),
                .unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE")
            let withCharset = try await client.send(
                .post, Paths.experiments, body: #"{"name": "charset"}"#,
                contentType: "Application/JSON; charset=utf-8")
            #expect(withCharset.status == .created)
        }
    }

    @Test("PUT and PATCH update only the given fields; a null description clears it")
    func update() async throws {
        try await withTestApp { client, _ in
            let id = try await client.createExperiment("before", #""description": "old""#)
            let renamed = try await client.send(.patch, Paths.experiment(id), body: #"{"name": "after"}"#)
            #expect(renamed.status == .ok)
            #expect(try renamed.jsonObject()["name"] as? String == "after")
            #expect(try renamed.jsonObject()["description"] as? String == "old")

            let finished = try await client.send(.put, Paths.experiment(id), body: #"{"status": "completed"}"#)
            #expect(try finished.jsonObject()["status"] as? String == "completed")
            #expect(try finished.jsonObject()["name"] as? String == "after")

            let cleared = try await client.send(.patch, Paths.experiment(id), body: #"{"description": null}"#)
            #expect(try cleared.jsonObject()["description"] is NSNull)

            try expectError(
                try await client.send(.patch, Paths.experiment(id), body: #"{"status": "done"}"#),
                .unprocessableContent, code: "VALIDATION_FAILED", field: "status")
            try expectError(
                try await client.send(.patch, Paths.experiment(404), body: #"{"name": "x"}"#), .notFound,
                code: "EXPERIMENT_NOT_FOUND")
            try await client.createExperiment("other")
            try expectError(
                try await client.send(.patch, Paths.experiment(id), body: #"{"name": "other"}"#), .conflict,
                code: "ALREADY_EXISTS")
        }
    }

    @Test("DELETE moves an experiment and its runs to the trash; restore brings both back")
    func deleteAndRestore() async throws {
        try await withTestApp { client, _ in
            let id = try await client.createExperiment("trashed")
            let runID = try await client.createRun(in: id)
            let deleted = try await client.send(.delete, Paths.experiment(id))
            #expect(deleted.status == .noContent)
            #expect(deleted.text.isEmpty)

            let experiment = try #require(try await client.getJSON(Paths.experiment(id)) as? [String: Any])
            #expect(experiment["lifecycle"] as? String == "deleted")
            #expect(names(try await client.getList(Paths.experiments)) == ["Default"])
            #expect(names(try await client.getList(Paths.experiments + "?lifecycle=deleted")) == ["trashed"])
            let run = try #require(try await client.getJSON(Paths.run(RunID(runID)!)) as? [String: Any])
            #expect(run["lifecycle"] as? String == "deleted")

            let restored = try await client.send(.post, Paths.experimentRestore(id))
            #expect(restored.status == .ok)
            #expect(try restored.jsonObject()["lifecycle"] as? String == "active")
            let activeRun = try #require(try await client.getJSON(Paths.run(RunID(runID)!)) as? [String: Any])
            #expect(activeRun["lifecycle"] as? String == "active")
            try expectError(
                try await client.send(.post, Paths.experimentRestore(77)), .notFound, code: "EXPERIMENT_NOT_FOUND")
            try expectError(
                try await client.send(.delete, Paths.experiment(77)), .notFound, code: "EXPERIMENT_NOT_FOUND")
        }
    }

    @Test("DELETE ?permanent=true purges the experiment and its runs")
    func purge() async throws {
        try await withTestApp { client, _ in
            let id = try await client.createExperiment("purged")
            let runID = try await client.createRun(in: id, #"{"metrics": {"acc": 0.5}}"#)
            #expect(try await client.send(.delete, Paths.experiment(id) + "?permanent=true").status == .noContent)
            try expectError(try await client.send(.get, Paths.experiment(id)), .notFound, code: "EXPERIMENT_NOT_FOUND")
            try expectError(try await client.send(.get, Paths.run(RunID(runID)!)), .notFound, code: "RUN_NOT_FOUND")
            try expectError(
                try await client.send(.delete, Paths.experiment(id) + "?permanent=maybe"), .badRequest,
                code: "BAD_REQUEST")
            // The name is free again.
            try await client.createExperiment("purged")
        }
    }
}
