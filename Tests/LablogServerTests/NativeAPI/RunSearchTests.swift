import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("Native API: run lists and search")
struct RunSearchTests {
    /// Three runs with `acc` 0.7, 0.8, 0.9 and `lr` 0.1, 0.01, 0.001 in one experiment, and one run in another.
    private func seed(_ client: any TestClientProtocol) async throws -> (experiment: Int64, other: Int64) {
        let experiment = try await client.createExperiment("sweep")
        for (name, acc, lr) in [("low", 0.7, "0.1"), ("mid", 0.8, "0.01"), ("high", 0.9, "0.001")] {
            try await client.createRun(
                in: experiment, #"{"name": "\#(name)", "metrics": {"acc": \#(acc)}, "params": {"lr": "\#(lr)"}}"#)
        }
        let other = try await client.createExperiment("other")
        try await client.createRun(in: other, #"{"name": "elsewhere", "metrics": {"acc": 0.95}}"#)
        return (experiment, other)
    }

    @Test("filter and order_by select and sort an experiment's runs")
    func filterAndOrder() async throws {
        try await withTestApp { client, _ in
            let (experiment, _) = try await seed(client)
            let runs = Paths.experimentRuns(experiment)
            #expect(names(try await client.getList(runs + "?order_by=metrics.acc%20DESC")) == ["high", "mid", "low"])
            #expect(names(try await client.getList(runs + "?order_by=metrics.acc+ASC")) == ["low", "mid", "high"])
            #expect(
                names(try await client.getList(runs + "?filter=metrics.acc+%3E+0.75&order_by=params.lr")) == [
                    "high", "mid",
                ])
            let either = "(params.lr = '0.1' OR params.lr = '0.001') AND NOT run_name = 'low'"
            #expect(names(try await client.getList(runs + "?filter=" + Paths.percentEncode(either))) == ["high"])
            #expect(
                names(try await client.getList(runs + "?order_by=attributes.run_name&order_by=metrics.acc")) == [
                    "high", "low", "mid",
                ])
            #expect(
                names(try await client.getList(runs + "?order_by=" + Paths.percentEncode("params.lr DESC, run_name")))
                    == ["low", "mid", "high"])
        }
    }

    @Test("A bad filter is 400 with the position of the error")
    func badFilter() async throws {
        try await withTestApp { client, _ in
            let (experiment, _) = try await seed(client)
            let response = try await client.send(
                .get, Paths.experimentRuns(experiment) + "?filter=" + Paths.percentEncode("metrics.acc >> 1"))
            try expectError(response, .badRequest, code: "INVALID_FILTER")
            #expect(try response.jsonObject()["position"] as? Int == 12)
            try expectError(
                try await client.send(.get, Paths.runs + "?order_by=" + Paths.percentEncode("metrics.acc sideways")),
                .badRequest, code: "INVALID_FILTER")
        }
    }

    @Test("Runs of an unknown experiment are 404, not an empty list")
    func unknownExperiment() async throws {
        try await withTestApp { client, _ in
            try expectError(
                try await client.send(.get, Paths.experimentRuns(55)), .notFound, code: "EXPERIMENT_NOT_FOUND")
            try expectError(
                try await client.send(.get, Paths.experimentRuns(55) + "?filter=params.lr%20%3D%20'1'"), .notFound,
                code: "EXPERIMENT_NOT_FOUND")
            // An empty page of an experiment that exists is an empty list.
            let empty = try await client.send(
                .get, Paths.experimentRuns(0) + "?filter=params.lr%20%3D%20'none'&limit=5")
            #expect(empty.status == .ok)
            #expect((try empty.json() as? [Any])?.isEmpty == true)
        }
    }

    @Test("GET /api/runs searches across experiments, or the listed ones")
    func crossExperiment() async throws {
        try await withTestApp { client, _ in
            let (experiment, other) = try await seed(client)
            let all = try await client.getList(Paths.runs + "?filter=metrics.acc%3E%3D0.9&order_by=metrics.acc")
            #expect(names(all) == ["high", "elsewhere"])
            #expect(Set(all.compactMap { $0["experiment_id"] as? Int64 }) == [experiment, other])
            #expect(names(try await client.getList(Paths.runs + "?experiment_ids=\(other)")) == ["elsewhere"])
            #expect(try await client.getList(Paths.runs + "?experiment_ids=\(experiment),\(other)").count == 4)
            #expect(
                try await client.getList(Paths.runs + "?experiment_ids=\(experiment)&experiment_ids=\(other)").count
                    == 4)
            try expectError(
                try await client.send(.get, Paths.runs + "?experiment_ids=one"), .badRequest, code: "BAD_REQUEST")
        }
    }

    @Test("Run lists page with limit and cursor, Link and X-Total-Count")
    func pagination() async throws {
        try await withTestApp { client, _ in
            let experiment = try await client.createExperiment("many")
            for index in 0..<5 {
                try await client.createRun(in: experiment, #"{"name": "run-\#(index)", "metrics": {"i": \#(index)}}"#)
            }
            let uri = Paths.experimentRuns(experiment) + "?order_by=metrics.i&limit=2"
            let first = try await client.send(.get, uri)
            #expect(first.header("X-Total-Count") == "5")
            let link = try #require(first.nextLink)
            #expect(link.contains("order_by=metrics.i") && link.contains("limit=2"))
            let pages = try await client.getAllPages(uri)
            #expect(pages.map(\.count) == [2, 2, 1])
            #expect(pages.flatMap { names($0) } == (0..<5).map { "run-\($0)" })

            for query in ["limit=0", "limit=5000", "limit=x", "cursor=bogus", "lifecycle=sometimes"] {
                try expectError(
                    try await client.send(.get, Paths.experimentRuns(experiment) + "?" + query), .badRequest,
                    code: "BAD_REQUEST")
            }
        }
    }
}
