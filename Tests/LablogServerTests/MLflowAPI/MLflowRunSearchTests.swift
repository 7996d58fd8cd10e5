import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("MLflow API: runs/search")
struct MLflowRunSearchTests {
    /// Three runs in one experiment and one in another, each with a metric, a param and a tag.
    private struct Corpus {
        var first: String
        var second: String
        var ids: [String: String] = [:]
    }

    private func corpus(_ client: any TestClientProtocol) async throws -> Corpus {
        var corpus = Corpus(
            first: try await client.mlflowCreateExperiment("one"),
            second: try await client.mlflowCreateExperiment("two"))
        for (name, experiment, start, acc, lr) in [
            ("r1", corpus.first, 1000, "0.9", "0.01"), ("r2", corpus.first, 2000, "0.5", "0.1"),
            ("r3", corpus.first, 3000, "\"NaN\"", "0.01"), ("r4", corpus.second, 4000, "0.7", "0.01"),
        ] {
            let created = try await client.mlflowCall(
                MLflowPaths.runsCreate,
                #"{"experiment_id": "\#(experiment)", "run_name": "\#(name)", "start_time": \#(start)}"#)
            let run = try #require(
                ((created["run"] as? [String: Any])?["info"] as? [String: Any])?["run_id"] as? String)
            try await client.mlflowCall(
                MLflowPaths.runsLogBatch,
                #"{"run_id": "\#(run)", "metrics": [{"key": "acc", "value": \#(acc), "timestamp": 1}],"#
                    + #" "params": [{"key": "lr", "value": "\#(lr)"}],"#
                    + #" "tags": [{"key": "team", "value": "t-\#(name)"}]}"#
            )
            try await client.mlflowCall(MLflowPaths.runsUpdate, #"{"run_id": "\#(run)", "end_time": \#(start + 500)}"#)
            corpus.ids[name] = run
        }
        return corpus
    }

    private func names(_ answer: [String: Any]) -> [String] {
        (answer["runs"] as? [[String: Any]] ?? []).compactMap {
            ($0["info"] as? [String: Any])?["run_name"] as? String
        }
    }

    @Test("Filters, order_by with missing values last, and several experiments at once")
    func filterAndOrder() async throws {
        try await withTestApp(environment: Ticking.environment()) { client, _ in
            let corpus = try await corpus(client)
            let both = #""experiment_ids": ["\#(corpus.first)", "\#(corpus.second)"]"#
            let found = try await client.mlflowCall(
                MLflowPaths.runsSearch,
                #"{\#(both), "filter": "metrics.acc > 0.6 and params.lr = '0.01'", "order_by": ["metrics.acc DESC"]}"#)
            #expect(names(found) == ["r1", "r4"])
            let ordered = try await client.mlflowCall(
                MLflowPaths.runsSearch, #"{\#(both), "order_by": ["metrics.acc ASC"], "run_view_type": "ACTIVE_ONLY"}"#)
            #expect(names(ordered) == ["r2", "r4", "r1", "r3"])
            let newestFirst = try await client.mlflowCall(MLflowPaths.runsSearch, #"{\#(both)}"#)
            #expect(names(newestFirst) == ["r4", "r3", "r2", "r1"])
            // Lablog's extension of the grammar: OR and parentheses.
            let either = try await client.mlflowCall(
                MLflowPaths.runsSearch, #"{\#(both), "filter": "tags.team = 't-r1' OR (params.lr = '0.1')"}"#)
            #expect(names(either) == ["r2", "r1"])
        }
    }

    @Test("GET takes repeated experiment_ids and order_by keys and decodes + as a space")
    func overGet() async throws {
        try await withTestApp(environment: Ticking.environment()) { client, _ in
            let corpus = try await corpus(client)
            let answer = try await client.mlflowFetch(
                MLflowPaths.runsSearch,
                "experiment_ids=\(corpus.first)&experiment_ids=\(corpus.second)&filter=params.lr+%3D+%270.01%27"
                    + "&order_by=params.lr+ASC&order_by=attributes.start_time+ASC")
            #expect(names(answer) == ["r1", "r3", "r4"])
        }
    }

    @Test("Pages follow each other through the token; the last page has none; nothing found is {}")
    func paging() async throws {
        try await withTestApp(environment: Ticking.environment()) { client, _ in
            let corpus = try await corpus(client)
            let base = #""experiment_ids": ["\#(corpus.first)"], "order_by": ["attributes.start_time ASC"]"#
            let first = try await client.mlflowCall(MLflowPaths.runsSearch, #"{\#(base), "max_results": 2}"#)
            #expect(names(first) == ["r1", "r2"])
            let token = try #require(first["next_page_token"] as? String)
            let last = try await client.mlflowCall(
                MLflowPaths.runsSearch, #"{\#(base), "max_results": "2", "page_token": "\#(token)"}"#)
            #expect(names(last) == ["r3"])
            #expect(last["next_page_token"] == nil)
            let exact = try await client.mlflowCall(MLflowPaths.runsSearch, #"{\#(base), "max_results": 3}"#)
            #expect(names(exact).count == 3 && exact["next_page_token"] == nil)
            let nothing = try await client.mlflowCall(
                MLflowPaths.runsSearch, #"{"experiment_ids": ["\#(corpus.first)"], "filter": "metrics.acc > 5"}"#)
            #expect(nothing.isEmpty)
            #expect(try await client.mlflowCall(MLflowPaths.runsSearch, #"{"experiment_ids": []}"#).isEmpty)
            #expect(try await client.mlflowCall(MLflowPaths.runsSearch, "{}").isEmpty)
        }
    }

    @Test("A page may hold more runs than a store page")
    func largePages() async throws {
        try await withTestApp { client, store in
            let experiment = try await client.mlflowCreateExperiment("big")
            for index in 0..<1_205 {
                _ = try await store.createRun(NewRun(experimentID: 1, name: "r\(index)", startTime: Int64(index)))
            }
            let all = try await client.mlflowCall(
                MLflowPaths.runsSearch, #"{"experiment_ids": ["\#(experiment)"], "max_results": 1204}"#)
            #expect((all["runs"] as? [Any])?.count == 1_204)
            let token = try #require(all["next_page_token"] as? String)
            let rest = try await client.mlflowCall(
                MLflowPaths.runsSearch, #"{"experiment_ids": ["\#(experiment)"], "page_token": "\#(token)"}"#)
            #expect(names(rest) == ["r0"])
        }
    }

    @Test("View types by name and by number")
    func viewTypes() async throws {
        try await withTestApp(environment: Ticking.environment()) { client, _ in
            let corpus = try await corpus(client)
            try await client.mlflowCall(MLflowPaths.runsDelete, #"{"run_id": "\#(corpus.ids["r2"]!)"}"#)
            let scope = #""experiment_ids": ["\#(corpus.first)"]"#
            for (view, expected) in [
                ("2", ["r2"]), (#""DELETED_ONLY""#, ["r2"]), ("3", ["r3", "r2", "r1"]),
                (#""ALL""#, ["r3", "r2", "r1"]),
                ("1", ["r3", "r1"]),
            ] {
                let answer = try await client.mlflowCall(
                    MLflowPaths.runsSearch, #"{\#(scope), "run_view_type": \#(view)}"#)
                #expect(names(answer) == expected, "\(view)")
            }
        }
    }

    @Test(
        "Refused searches are 400 INVALID_PARAMETER_VALUE",
        arguments: [
            #""filter": "metrics.acc >""#, #""filter": "params.lr = 0.01""#, #""filter": "foo.bar = '1'""#,
            #""order_by": ["metrics.acc SIDEWAYS"]"#, #""order_by": ["metrics.acc", "metrics.acc DESC"]"#,
            #""order_by": "metrics.acc""#, #""max_results": 0"#, #""max_results": 50001"#, #""max_results": "many""#,
            #""page_token": "not a token""#, #""run_view_type": "NONE""#,
        ])
    func refused(member: String) async throws {
        try await withTestApp { client, _ in
            let response = try await client.mlflowPost(
                MLflowPaths.runsSearch, #"{"experiment_ids": ["0"], \#(member)}"#)
            try expectTrackingError(response, .badRequest, "INVALID_PARAMETER_VALUE")
        }
    }

    @Test("Experiment ids must be integers in a list")
    func experimentIDs() async throws {
        try await withTestApp { client, _ in
            for body in [#"{"experiment_ids": ["abc"]}"#, #"{"experiment_ids": 7}"#, #"{"experiment_ids": "0"}"#] {
                try expectTrackingError(
                    try await client.mlflowPost(MLflowPaths.runsSearch, body), .badRequest, "INVALID_PARAMETER_VALUE")
            }
        }
    }
}
