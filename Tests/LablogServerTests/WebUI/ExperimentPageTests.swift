import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LablogCore
import Testing

@testable import LablogServer

@Suite("Experiment page")
struct ExperimentPageTests {
    static let runs = [
        SeededRun(
            name: "alpha", params: ["lr": "0.1", "opt": "sgd"], metrics: ["acc": 0.7, "loss": 0.5],
            tags: ["team": "vision"]),
        SeededRun(
            name: "bravo", params: ["lr": "0.01", "opt": "sgd"], metrics: ["acc": 0.9, "loss": 0.2],
            tags: ["team": "nlp"]),
        SeededRun(name: "charlie", params: ["lr": "0.001"], metrics: ["acc": 0.8]),
    ]

    @Test func runsTableShowsParamsMetricsTagsAndHeader() async throws {
        try await withTestApp { client, store in
            let (id, runIDs) = try await store.seed(experiment: "vision-baselines", runs: Self.runs)
            let response = try await client.fetchPage("/experiments/\(id)")
            PageChecks.expectHTML(response)
            let html = response.text
            #expect(html.contains("<h1>vision-baselines</h1>"))
            #expect(html.contains("3 runs"))
            #expect(html.contains("Showing 1–3 of 3 runs"))
            for (index, run) in Self.runs.enumerated() {
                #expect(html.contains("<a href=\"/runs/\(runIDs[index])\">\(run.name)</a>"))
            }
            for group in ["params", "metrics", "tags"] {
                #expect(html.contains("<span class=\"group\">\(group)</span>"))
            }
            // Values of bravo's row, in column order: lr, opt, acc, loss, team.
            let bravo = html.slice(from: "value=\"\(runIDs[1])\"", to: "</tr>")
            #expect(bravo.contains("<td>0.01</td><td>sgd</td><td class=\"num\">0.9</td><td class=\"num\">0.2</td>"))
            #expect(bravo.contains("<td>nlp</td>"))
            // The missing loss of charlie is a dash, not an empty cell or a zero.
            let charlie = html.slice(from: "value=\"\(runIDs[2])\"", to: "</tr>")
            #expect(charlie.contains("<span class=\"muted\">–</span></td>"))
            #expect(html.contains("<time datetime=\"2026-09-21T"))
            PageChecks.expectNoExternalURLs(html)
            #expect(html.contains(TableScript.asset.url))
        }
    }

    @Test func columnChooserLimitsColumnsAndIsRemembered() async throws {
        try await withTestApp { client, store in
            let (id, _) = try await store.seed(experiment: "cols", runs: Self.runs)
            let all = try await client.fetchPage("/experiments/\(id)").text
            #expect(all.contains("<input type=\"checkbox\" name=\"cols\" value=\"params.lr\" checked>"))
            let html = try await client.fetchPage("/experiments/\(id)?cols_set=1&cols=metrics.acc").text
            #expect(html.contains("<input type=\"checkbox\" name=\"cols\" value=\"metrics.acc\" checked>"))
            #expect(html.contains("<input type=\"checkbox\" name=\"cols\" value=\"params.lr\">"))
            let head = html.slice(from: "<thead>", to: "</thead>")
            #expect(head.contains(">acc"))
            #expect(!head.contains(">lr"))
            #expect(!head.contains(">team"))
            // Sort links and the filter form keep the choice.
            #expect(head.contains("cols_set=1&amp;cols=metrics.acc"))
            #expect(html.contains("<input type=\"hidden\" name=\"cols\" value=\"metrics.acc\">"))
        }
    }

    @Test func sortLinksOrderRunsBothWays() async throws {
        try await withTestApp { client, store in
            let (id, _) = try await store.seed(experiment: "sort", runs: Self.runs)
            let first = try await client.fetchPage("/experiments/\(id)").text
            let ascendingLink = "/experiments/\(id)?order_by=metrics.%60acc%60%20ASC"
            #expect(first.contains("<a href=\"\(ascendingLink)\">acc</a>"))
            let ascending = try await client.fetchPage(ascendingLink).text
            let order = ["alpha", "charlie", "bravo"].map { ascending.offset(of: ">\($0)</a>") ?? -1 }
            #expect(order == order.sorted() && !order.contains(-1))
            #expect(ascending.contains("aria-sort=\"ascending\""))
            let descendingLink = "/experiments/\(id)?order_by=metrics.%60acc%60%20DESC"
            #expect(ascending.contains("<a href=\"\(descendingLink)\">acc ▲</a>"))
            let descending = try await client.fetchPage(descendingLink).text
            let reversed = ["bravo", "charlie", "alpha"].map { descending.offset(of: ">\($0)</a>") ?? -1 }
            #expect(reversed == reversed.sorted() && !reversed.contains(-1))
            // Missing values last in both directions: charlie has no loss.
            for direction in ["ASC", "DESC"] {
                let html = try await client.fetchPage("/experiments/\(id)?order_by=metrics.loss%20\(direction)").text
                let positions = ["alpha", "bravo", "charlie"].map { html.offset(of: ">\($0)</a>") ?? -1 }
                #expect(positions[2] > positions[0] && positions[2] > positions[1])
            }
        }
    }

    @Test func filterBoxFiltersAndShowsErrorsInline() async throws {
        try await withTestApp { client, store in
            let (id, _) = try await store.seed(experiment: "filter", runs: Self.runs)
            let good = try await client.fetchPage("/experiments/\(id)?filter=metrics.acc+%3E+0.75").text
            #expect(good.contains(">bravo</a>") && good.contains(">charlie</a>") && !good.contains(">alpha</a>"))
            #expect(good.contains("value=\"metrics.acc &gt; 0.75\""))
            #expect(good.contains("Showing 1–2 of 2 runs"))

            let response = try await client.fetchPage("/experiments/\(id)?filter=metrics.acc+%3E%3E+1")
            PageChecks.expectHTML(response)
            let bad = response.text
            let box = bad.slice(from: "<div id=\"filter-error\"", to: "</div>")
            #expect(box.contains("<strong>Filter error:</strong>"))
            #expect(box.contains("(at position 12)"))
            #expect(box.contains("metrics.acc &gt;&gt; 1\n" + String(repeating: " ", count: 12) + "^</pre>"))
            #expect(bad.contains("aria-invalid=\"true\""))
            #expect(bad.contains("No runs match."))
            #expect(!bad.contains(">alpha</a>"))
        }
    }

    @Test func emptyExperimentSaysHowToLogARunAndHidesBulkActions() async throws {
        try await withTestApp { client, store in
            let (id, _) = try await store.seed(experiment: "fresh", runs: [])
            let response = try await client.fetchPage("/experiments/\(id)")
            PageChecks.expectHTML(response)
            let html = response.text
            #expect(html.contains("<p class=\"summary\" id=\"run-summary\">No runs yet.</p>"))
            #expect(!html.contains("No runs match."))
            let hint = html.slice(from: "<div class=\"empty-hint\">", to: "</div>")
            #expect(hint.contains("<code>POST /api/experiments/\(id)/runs</code>"))
            #expect(hint.contains("<code>mlflow.set_experiment(\"fresh\")</code> then <code>mlflow.start_run()</code>"))
            for control in ["Set tag", "Compare selected", "Delete selected", "<table class=\"runs\">"] {
                #expect(!html.contains(control))
            }
            // A filter that matches nothing in an experiment with runs still says so, without the bulk actions.
            let (seeded, _) = try await store.seed(experiment: "full", runs: Self.runs)
            let none = try await client.fetchPage("/experiments/\(seeded)?filter=metrics.acc+%3E+5").text
            #expect(none.contains("No runs match.") && !none.contains("No runs yet"))
            #expect(!none.contains("<div class=\"empty-hint\">") && !none.contains("Compare selected"))
            #expect(none.contains("<table class=\"runs\">"))
            // With runs, the actions are there.
            let full = try await client.fetchPage("/experiments/\(seeded)").text
            #expect(
                full.contains("Compare selected") && full.contains("Delete selected")
                    && !full.contains("<div class=\"empty-hint\">"))
        }
    }

    @Test func pagesThroughManyRunsWithATotal() async throws {
        try await withTestApp { client, store in
            let many = (0..<120).map { SeededRun(name: String(format: "run-%03d", $0), metrics: ["acc": Double($0)]) }
            let (id, _) = try await store.seed(experiment: "many", runs: many)
            var url: String? = "/experiments/\(id)?order_by=attributes.run_name+ASC"
            var seen: [String] = []
            var summaries: [String] = []
            var previousLinks = 0
            while let next = url {
                let html = try await client.fetchPage(next).text
                summaries.append(html.slice(from: "Showing", to: "</p>"))
                seen += (0..<120).map { String(format: "run-%03d", $0) }.filter { html.contains(">\($0)</a>") }
                if html.contains("rel=\"prev\"") { previousLinks += 1 }
                url = html.link(rel: "next")
            }
            #expect(
                summaries == [
                    "Showing 1–50 of 120 runs", "Showing 51–100 of 120 runs", "Showing 101–120 of 120 runs",
                ])
            #expect(seen == (0..<120).map { String(format: "run-%03d", $0) })
            #expect(previousLinks == 2)
        }
    }

    @Test func selectionFormOffersCompareAndExportsCarryTheFilter() async throws {
        try await withTestApp { client, store in
            let (id, runIDs) = try await store.seed(experiment: "select", runs: Self.runs)
            let html = try await client.fetchPage("/experiments/\(id)?filter=params.opt+%3D+%27sgd%27").text
            #expect(html.contains("formaction=\"/experiments/\(id)/compare\" formmethod=\"get\">Compare selected"))
            #expect(html.contains("<input type=\"checkbox\" name=\"runs\" value=\"\(runIDs[0])\""))
            #expect(html.contains("data-select-all"))
            let filter = "filter=params.opt%20%3D%20%27sgd%27"
            #expect(html.contains("href=\"/api/experiments/\(id)/export?\(filter)&amp;format=csv\""))
            #expect(html.contains("href=\"/api/experiments/\(id)/export?\(filter)&amp;format=json\""))
            // The compare page accepts what the form submits.
            let compare = try await client.fetchPage(
                "/experiments/\(id)/compare?return=x&runs=\(runIDs[0])&runs=\(runIDs[1])&tag_key=&tag_value=")
            PageChecks.expectHTML(compare)
            #expect(compare.text.contains("Comparing 2 runs"))
        }
    }

    @Test func bulkTagDeleteAndRestore() async throws {
        try await withTestApp { client, store in
            let (id, runIDs) = try await store.seed(experiment: "bulk", runs: Self.runs)
            let selected = [("runs", runIDs[0].rawValue), ("runs", runIDs[2].rawValue)]
            let tagged = try await client.postPageForm(
                "/experiments/\(id)/runs/tag",
                [("return", "filter=metrics.acc%20%3E%200")] + selected + [("tag_key", "stage"), ("tag_value", "prod")])
            #expect(tagged.status == .seeOther)
            let location = tagged.headers[.location] ?? ""
            #expect(location.hasPrefix("/experiments/\(id)?filter=metrics.acc%20%3E%200&"))
            #expect(location.queryValue("done") == "tagged" && location.queryValue("n") == "2")
            #expect(try await store.run(id: runIDs[0]).tags.contains { $0.key == "stage" && $0.value == "prod" })
            #expect(try await store.run(id: runIDs[2]).tags.contains { $0.key == "stage" && $0.value == "prod" })
            #expect(try await !store.run(id: runIDs[1]).tags.contains { $0.key == "stage" })
            #expect(try await client.fetchPage(location).text.contains("Tagged 2 runs."))

            let noKey = try await client.postPageForm("/experiments/\(id)/runs/tag", selected + [("tag_key", " ")])
            #expect(noKey.headers[.location]?.queryValue("done") == "nokey")

            let deleted = try await client.postPageForm("/experiments/\(id)/runs/delete", selected)
            #expect(deleted.status == .seeOther)
            #expect(try await store.run(id: runIDs[0]).lifecycle == .deleted)
            let active = try await client.fetchPage("/experiments/\(id)").text
            #expect(!active.contains(">alpha</a>") && active.contains(">bravo</a>"))
            let trash = try await client.fetchPage("/experiments/\(id)?lifecycle=deleted").text
            #expect(trash.contains(">alpha</a>") && trash.contains(">charlie</a>") && !trash.contains(">bravo</a>"))
            #expect(trash.contains("formaction=\"/experiments/\(id)/runs/restore\""))

            let restored = try await client.postPageForm(
                "/experiments/\(id)/runs/restore", [("return", "lifecycle=deleted")] + selected)
            #expect(
                restored.headers[.location]?.hasPrefix("/experiments/\(id)?lifecycle=deleted&done=restored") == true)
            #expect(try await store.run(id: runIDs[0]).lifecycle == .active)
            let none = try await client.postPageForm("/experiments/\(id)/runs/delete", [("return", "")])
            #expect(none.headers[.location] == "/experiments/\(id)?done=none")
        }
    }

    @Test func unknownExperimentsAreNotFound() async throws {
        try await withTestApp { client, _ in
            #expect(try await client.fetchPage("/experiments/424242").status == .notFound)
            #expect(try await client.fetchPage("/experiments/abc").status == .notFound)
            #expect(
                try await client.fetchPage("/experiments/424242/compare?runs=\(RunID.random())").status == .notFound)
            let post = try await client.postPageForm("/experiments/abc/runs/delete", [])
            #expect(post.status == .notFound)
        }
    }

    @Test func userStringsStayInert() async throws {
        try await withTestApp { client, store in
            let evil = [
                SeededRun(
                    name: Payloads.script, params: ["a/b c:d": Payloads.script],
                    metrics: ["m/x y": 1], tags: ["t": Payloads.attribute]),
                SeededRun(name: Payloads.attribute, params: ["a/b c:d": Payloads.quote], tags: ["t": Payloads.quote]),
            ]
            let (id, _) = try await store.seed(experiment: Payloads.attribute, runs: evil)
            let html = try await client.fetchPage("/experiments/\(id)").text
            PageChecks.expectInert(html)
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!html.contains("' onmouseover='"))
            let bad = try await client.fetchPage("/experiments/\(id)?filter=%3Cscript%3Ealert(1)%3C%2Fscript%3E").text
            PageChecks.expectInert(bad)
        }
    }
}
