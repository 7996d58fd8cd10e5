import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("MLflow API: experiments/search")
struct MLflowExperimentSearchTests {
    /// Creates x-alpha, x-Beta, x-gamma (tagged) and deletes x-gamma; returns their ids by suffix.
    private func fixtures(_ client: any TestClientProtocol) async throws -> [String: String] {
        var ids: [String: String] = [:]
        for suffix in ["alpha", "Beta", "gamma"] {
            let tags = suffix == "Beta" ? "" : #""tags": [{"key": "team", "value": "vision-\#(suffix)"}]"#
            ids[suffix] = try await client.mlflowCreateExperiment("x-" + suffix, tags)
        }
        try await client.mlflowCall(MLflowPaths.experimentsDelete, #"{"experiment_id": "\#(ids["gamma"]!)"}"#)
        return ids
    }

    private func names(_ answer: [String: Any]) -> [String] {
        (answer["experiments"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    @Test("filter, order_by and view types by name and by number, over POST and GET")
    func filterOrderAndViews() async throws {
        try await withTestApp { client, _ in
            _ = try await fixtures(client)
            let ordered = try await client.mlflowCall(
                MLflowPaths.experimentsSearch,
                #"{"max_results": 10, "filter": "name LIKE 'x-%'", "order_by": ["name DESC"], "view_type": "ALL"}"#)
            #expect(names(ordered) == ["x-gamma", "x-alpha", "x-Beta"])
            let deleted = try await client.mlflowCall(
                MLflowPaths.experimentsSearch, #"{"max_results": 10, "filter": "name LIKE 'x-%'", "view_type": 2}"#)
            #expect(names(deleted) == ["x-gamma"])
            let tagged = try await client.mlflowFetch(
                MLflowPaths.experimentsSearch,
                "max_results=10&filter=tags.team+ILIKE+%27VISION%25%27&order_by=name+ASC&view_type=3")
            #expect(names(tagged) == ["x-alpha", "x-gamma"])
            // Without max_results (which MLflow's server refuses) the page holds up to 1000; active only by default.
            let active = try await client.mlflowCall(MLflowPaths.experimentsSearch, #"{"filter": "name LIKE 'x-%'"}"#)
            #expect(Set(names(active)) == ["x-alpha", "x-Beta"])
        }
    }

    @Test("The default order is newest first; a page token continues; the last page has no token")
    func paging() async throws {
        try await withTestApp(environment: Ticking.environment()) { client, _ in
            _ = try await fixtures(client)
            let everything = try await client.mlflowCall(MLflowPaths.experimentsSearch, #"{"view_type": "ALL"}"#)
            #expect(names(everything) == ["x-gamma", "x-Beta", "x-alpha", "Default"])
            let first = try await client.mlflowCall(
                MLflowPaths.experimentsSearch, #"{"max_results": "3", "view_type": "ALL"}"#)
            #expect(names(first) == ["x-gamma", "x-Beta", "x-alpha"])
            let token = try #require(first["next_page_token"] as? String)
            let last = try await client.mlflowCall(
                MLflowPaths.experimentsSearch, #"{"max_results": 3, "view_type": "ALL", "page_token": "\#(token)"}"#)
            #expect(names(last) == ["Default"])
            #expect(last["next_page_token"] == nil)
            let none = try await client.mlflowCall(MLflowPaths.experimentsSearch, #"{"filter": "name = 'nothing'"}"#)
            #expect(none.isEmpty)
        }
    }

    @Test(
        "Refused searches are 400 INVALID_PARAMETER_VALUE",
        arguments: [
            #"{"filter": "attributes.name = 'x'"}"#, #"{"filter": "name ="}"#, #"{"order_by": ["tags.k"]}"#,
            #"{"order_by": "name"}"#, #"{"page_token": "garbage"}"#, #"{"max_results": 0}"#,
            #"{"max_results": 50001}"#, #"{"view_type": "SOME"}"#, #"{"view_type": 7}"#,
        ])
    func refused(body: String) async throws {
        try await withTestApp { client, _ in
            try expectTrackingError(
                try await client.mlflowPost(MLflowPaths.experimentsSearch, body), .badRequest, "INVALID_PARAMETER_VALUE"
            )
        }
    }
}
