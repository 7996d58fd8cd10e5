import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("Native API: bulk changes")
struct BulkRouteTests {
    @Test("Experiments are deleted, restored and tagged in bulk")
    func experiments() async throws {
        try await withTestApp { client, _ in
            let a = try await client.createExperiment("a")
            let b = try await client.createExperiment("b")
            try await client.createExperiment("c")

            let deleted = try await client.send(
                .post, Paths.experimentsBulkDelete, body: #"{"ids": [\#(a), \#(b), \#(a)]}"#)
            #expect(deleted.status == .ok)
            #expect(try deleted.canonicalBody() == #"{"updated":2}"#)
            #expect(names(try await client.getList(Paths.experiments + "?sort=name")) == ["Default", "c"])

            let restored = try await client.send(.post, Paths.experimentsBulkRestore, body: #"{"ids": [\#(a)]}"#)
            #expect(try restored.canonicalBody() == #"{"updated":1}"#)
            #expect(names(try await client.getList(Paths.experiments + "?sort=name")) == ["Default", "a", "c"])

            let tagged = try await client.send(
                .post, Paths.experimentsBulkTag, body: #"{"ids": [\#(a), \#(b)], "key": "team", "value": "vision"}"#)
            #expect(try tagged.canonicalBody() == #"{"updated":2}"#)
            let legacy = try await client.send(
                .post, Paths.experimentsBulkTag, body: #"{"ids": [\#(a)], "name": "best"}"#)
            #expect(try legacy.canonicalBody() == #"{"updated":1}"#)
            let tags = try await client.getList(Paths.experimentTags(a))
            #expect(tags.map { "\($0["key"]!)=\($0["value"]!)" }.sorted() == ["best=", "team=vision"])
            #expect(
                names(try await client.getList(Paths.experiments + "?lifecycle=all&tag=team:vision&sort=name")) == [
                    "a", "b",
                ])
        }
    }

    @Test("Bulk id lists must be non-empty, at most 1000, and name existing experiments")
    func experimentFailures() async throws {
        try await withTestApp { client, _ in
            let a = try await client.createExperiment("a")
            try expectError(
                try await client.send(.post, Paths.experimentsBulkDelete, body: #"{"ids": []}"#),
                .unprocessableContent, code: "VALIDATION_FAILED", field: "ids")
            let tooMany = (1...1001).map(String.init).joined(separator: ",")
            try expectError(
                try await client.send(.post, Paths.experimentsBulkDelete, body: #"{"ids": [\#(tooMany)]}"#),
                .unprocessableContent, code: "VALIDATION_FAILED", field: "ids")
            try expectError(
                try await client.send(.post, Paths.experimentsBulkDelete, body: #"{"ids": [1, "two"]}"#),
                .unprocessableContent, code: "VALIDATION_FAILED", field: "ids[1]")
            try expectError(
                try await client.send(.post, Paths.experimentsBulkDelete, body: #"{"ids": [1.5]}"#),
                .unprocessableContent, code: "VALIDATION_FAILED", field: "ids[0]")
            try expectError(
                try await client.send(.post, Paths.experimentsBulkDelete, body: #"{"ids": [\#(a), 4242]}"#),
                .notFound, code: "EXPERIMENT_NOT_FOUND")
            // Nothing changed: the unknown id refused the whole request.
            #expect(names(try await client.getList(Paths.experiments + "?sort=name")) == ["Default", "a"])
            try expectError(
                try await client.send(.post, Paths.experimentsBulkTag, body: #"{"ids": [\#(a)]}"#),
                .unprocessableContent, code: "VALIDATION_FAILED", field: "key")
        }
    }

    @Test("Runs are deleted and restored in bulk by run id")
    func runs() async throws {
        try await withTestApp { client, _ in
            let experiment = try await client.createExperiment("e")
            let first = try await client.createRun(in: experiment)
            let second = try await client.createRun(in: experiment)
            let deleted = try await client.send(
                .post, Paths.runsBulkDelete, body: #"{"ids": ["\#(first)", "\#(second.uppercased())"]}"#)
            #expect(try deleted.canonicalBody() == #"{"updated":2}"#)
            #expect(try await client.getList(Paths.experimentRuns(experiment)).isEmpty)
            #expect(try await client.getList(Paths.experimentRuns(experiment) + "?lifecycle=deleted").count == 2)

            let restored = try await client.send(.post, Paths.runsBulkRestore, body: #"{"ids": ["\#(first)"]}"#)
            #expect(try restored.canonicalBody() == #"{"updated":1}"#)
            #expect(names(try await client.getList(Paths.experimentRuns(experiment)), key: "id") == [first])

            try expectError(
                try await client.send(.post, Paths.runsBulkDelete, body: #"{"ids": ["nope"]}"#),
                .unprocessableContent, code: "VALIDATION_FAILED", field: "ids[0]")
            try expectError(
                try await client.send(.post, Paths.runsBulkDelete, body: #"{"ids": ["\#(Pinned.runID(999))"]}"#),
                .notFound, code: "RUN_NOT_FOUND")
        }
    }
}
