import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("Native API: tags")
struct TagRouteTests {
    @Test("Experiment tags: key/value and legacy name bodies, list with name, delete by tag id")
    func experimentTags() async throws {
        try await withTestApp { client, _ in
            let id = try await client.createExperiment("tagged")
            let created = try await client.send(
                .post, Paths.experimentTags(id), body: #"{"key": "team", "value": "vision"}"#)
            #expect(created.status == .created)
            let tagID = try #require(try created.jsonObject()["id"] as? Int64)
            #expect(created.headers[.location] == Paths.experimentTag(id, tagID: tagID))
            #expect(
                try created.canonicalBody()
                    == canonicalJSON(#"{"id": \#(tagID), "key": "team", "value": "vision", "name": "team"}"#))

            let label = try await client.send(.post, Paths.experimentTags(id), body: #"{"name": "baseline"}"#)
            #expect(label.status == .created)
            let labelID = try #require(try label.jsonObject()["id"] as? Int64)
            #expect(try label.jsonObject()["value"] as? String == "")

            let listed = try await client.send(.get, Paths.experimentTags(id))
            #expect(
                try listed.canonicalBody()
                    == canonicalJSON(
                        """
                        [{"id": \(labelID), "key": "baseline", "value": "", "name": "baseline"},
                         {"id": \(tagID), "key": "team", "value": "vision", "name": "team"}]
                        """))

            #expect(try await client.send(.delete, Paths.experimentTag(id, tagID: tagID)).status == .noContent)
            #expect(names(try await client.getList(Paths.experimentTags(id)), key: "key") == ["baseline"])
            try expectError(
                try await client.send(.delete, Paths.experimentTag(id, tagID: tagID)), .notFound, code: "TAG_NOT_FOUND")
            try expectError(
                try await client.send(.delete, Paths.experimentTags(id) + "/x"), .notFound, code: "TAG_NOT_FOUND")
        }
    }

    @Test("Setting an existing tag key overwrites its value")
    func overwrite() async throws {
        try await withTestApp { client, _ in
            let id = try await client.createExperiment("tagged")
            _ = try await client.send(.post, Paths.experimentTags(id), body: #"{"key": "team", "value": "a"}"#)
            _ = try await client.send(.post, Paths.experimentTags(id), body: #"{"key": "team", "value": "b"}"#)
            let tags = try await client.getList(Paths.experimentTags(id))
            #expect(tags.map { $0["value"] as? String } == ["b"])
        }
    }

    @Test("Experiment tag failures: unknown experiment 404, bad key 422, long value 422, no key 422")
    func experimentTagFailures() async throws {
        try await withTestApp { client, _ in
            let id = try await client.createExperiment("tagged")
            try expectError(
                try await client.send(.get, Paths.experimentTags(9)), .notFound, code: "EXPERIMENT_NOT_FOUND")
            try expectError(
                try await client.send(.post, Paths.experimentTags(9), body: #"{"name": "x"}"#), .notFound,
                code: "EXPERIMENT_NOT_FOUND")
            let badKey = try await client.send(.post, Paths.experimentTags(id), body: #"{"key": "a*b", "value": ""}"#)
            try expectError(badKey, .unprocessableContent, code: "VALIDATION_FAILED")
            let long = String(repeating: "v", count: Limits.maxExperimentTagValueLength + 1)
            let longValue = try await client.send(
                .post, Paths.experimentTags(id), body: #"{"key": "k", "value": "\#(long)"}"#)
            try expectError(longValue, .unprocessableContent, code: "VALIDATION_FAILED")
            try expectError(
                try await client.send(.post, Paths.experimentTags(id), body: #"{"value": "v"}"#),
                .unprocessableContent, code: "VALIDATION_FAILED", field: "key")
            try expectError(
                try await client.send(.post, Paths.experimentTags(id), body: "{"), .badRequest, code: "MALFORMED_JSON")
        }
    }

    @Test("Run tags have the same shapes")
    func runTags() async throws {
        try await withTestApp { client, _ in
            let experiment = try await client.createExperiment("e")
            let runID = try await client.createRun(in: experiment, #"{"tags": {"origin": "legacy"}}"#)
            let run = RunID(runID)!
            let created = try await client.send(.post, Paths.runTags(run), body: #"{"name": "best"}"#)
            #expect(created.status == .created)
            let tagID = try #require(try created.jsonObject()["id"] as? Int64)
            #expect(created.headers[.location] == Paths.runTag(run, tagID: tagID))
            #expect(
                try created.canonicalBody()
                    == canonicalJSON(#"{"id": \#(tagID), "key": "best", "value": "", "name": "best"}"#))

            let tags = try await client.getList(Paths.runTags(run))
            #expect(tags.map { "\($0["key"]!)=\($0["value"]!)" } == ["best=", "origin=legacy"])
            #expect(tags.allSatisfy { $0["name"] as? String == $0["key"] as? String })

            #expect(try await client.send(.delete, Paths.runTag(run, tagID: tagID)).status == .noContent)
            #expect(names(try await client.getList(Paths.runTags(run)), key: "key") == ["origin"])

            let long = String(repeating: "v", count: Limits.maxRunTagValueLength + 1)
            try expectError(
                try await client.send(.post, Paths.runTags(run), body: #"{"key": "k", "value": "\#(long)"}"#),
                .unprocessableContent, code: "VALIDATION_FAILED")
            try expectError(
                try await client.send(.get, Paths.runTags(RunID(Pinned.runID(12345))!)), .notFound,
                code: "RUN_NOT_FOUND")
            try expectError(try await client.send(.get, "/api/runs/not-a-run/tags"), .notFound, code: "RUN_NOT_FOUND")
        }
    }
}
