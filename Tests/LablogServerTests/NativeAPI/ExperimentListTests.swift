import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("Native API: experiment lists")
struct ExperimentListTests {
    @Test("q, status and tag narrow the list; sort orders it either way")
    func filtersAndSort() async throws {
        try await withTestApp { client, _ in
            try await client.createExperiment("Vision-ResNet", #""status": "completed", "tags": {"team": "vision"}"#)
            try await client.createExperiment("vision-vit", #""tags": [{"name": "baseline"}]"#)
            try await client.createExperiment("nlp-bert", #""status": "failed", "tags": {"team": "nlp"}"#)

            // Names sort by code point; the built-in Default experiment (id 0) is always there.
            #expect(
                names(try await client.getList(Paths.experiments + "?sort=name")) == [
                    "Default", "Vision-ResNet", "nlp-bert", "vision-vit",
                ])
            #expect(
                names(try await client.getList(Paths.experiments + "?sort=-name")) == [
                    "vision-vit", "nlp-bert", "Vision-ResNet", "Default",
                ])
            #expect(
                names(try await client.getList(Paths.experiments + "?q=VISION&sort=name")) == [
                    "Vision-ResNet", "vision-vit",
                ])
            #expect(names(try await client.getList(Paths.experiments + "?status=failed")) == ["nlp-bert"])
            #expect(
                names(try await client.getList(Paths.experiments + "?tag=team&sort=name")) == [
                    "Vision-ResNet", "nlp-bert",
                ])
            #expect(names(try await client.getList(Paths.experiments + "?tag=team:nlp")) == ["nlp-bert"])
            #expect(names(try await client.getList(Paths.experiments + "?tag=baseline")) == ["vision-vit"])
            #expect(
                names(try await client.getList(Paths.experiments + "?tag=team&tag=team:vision")) == ["Vision-ResNet"])
        }
    }

    @Test("Newest first by default")
    func defaultOrder() async throws {
        try await withTestApp { client, _ in
            for name in ["first", "second", "third"] {
                try await client.createExperiment(name)
                try await Task.sleep(for: .milliseconds(3))
            }
            #expect(names(try await client.getList(Paths.experiments)) == ["third", "second", "first", "Default"])
        }
    }

    @Test("limit and cursor page through the list; Link repeats the other parameters")
    func pagination() async throws {
        try await withTestApp { client, _ in
            for index in 0..<7 {
                try await client.createExperiment("exp-\(index)", #""tags": {"keep": "yes"}"#)
            }
            try await client.createExperiment("other")
            let first = try await client.send(.get, Paths.experiments + "?sort=name&tag=keep&limit=3")
            let link = try #require(first.nextLink)
            #expect(link.hasPrefix(Paths.experiments + "?"))
            #expect(link.contains("sort=name"))
            #expect(link.contains("tag=keep"))
            #expect(link.contains("limit=3"))
            #expect(link.contains("cursor="))

            let pages = try await client.getAllPages(Paths.experiments + "?sort=name&tag=keep&limit=3")
            #expect(pages.map(\.count) == [3, 3, 1])
            #expect(pages.flatMap { names($0) } == (0..<7).map { "exp-\($0)" })
        }
    }

    @Test("Bad list parameters are 400")
    func badParameters() async throws {
        try await withTestApp { client, _ in
            for query in [
                "limit=0", "limit=1001", "limit=ten", "cursor=not-a-cursor", "sort=size", "status=paused",
                "lifecycle=gone",
            ] {
                try expectError(
                    try await client.send(.get, Paths.experiments + "?" + query), .badRequest, code: "BAD_REQUEST")
            }
            #expect(names(try await client.getList(Paths.experiments + "?limit=1000")) == ["Default"])
        }
    }
}
