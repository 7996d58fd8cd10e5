import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import Testing

@testable import LablogServer

@Suite("Run page")
struct RunPageTests {
    @Test("Shows status, times, experiment, parent and child runs, params, tags, metrics and charts")
    func pageWithData() async throws {
        try await RunPageScenario.run { scenario in
            let parent = try await scenario.makeRun(name: "sweep", status: .finished)
            let run = try await scenario.makeRun(
                name: "trial-7", status: .finished, parent: parent.id,
                params: [KeyValue(key: "lr", value: "0.01")], tags: [KeyValue(key: "team", value: "vision")],
                experiment: parent.experimentID)
            let child = try await scenario.makeRun(
                name: "fold-1", status: .failed, parent: run.id, experiment: parent.experimentID)
            try await scenario.log(run, "loss", [3, 2, 1.5])
            try await scenario.log(run, "acc", [0.5, 0.75])
            let html = try await scenario.page(run)
            let experiment = try await scenario.store.experiment(id: run.experimentID)
            #expect(html.contains("<title>trial-7 · Run · Lablog</title>"))
            #expect(html.contains("<span class=\"badge status-FINISHED\" data-run-status>FINISHED</span>"))
            #expect(html.contains("<a href=\"/experiments/\(run.experimentID)\">\(experiment.name)</a>"))
            #expect(html.contains("<time datetime=\"2025-11-24T16:00:00.000Z\">2025-11-24 16:00:00 UTC</time>"))
            #expect(html.contains("<time datetime=\"2025-11-24T16:01:30.000Z\">2025-11-24 16:01:30 UTC</time>"))
            #expect(html.contains("<dd data-run-duration>1m 30s</dd>"))
            #expect(html.contains("<dt>Parent run</dt><dd><a href=\"/runs/\(parent.id.rawValue)\">sweep</a>"))
            #expect(html.contains("<li><a href=\"/runs/\(child.id.rawValue)\">fold-1</a>"))
            #expect(html.contains("<tr><td>lr</td><td>0.01</td></tr>"))
            #expect(html.contains("<tr><td>team</td><td>vision</td>"))
            #expect(
                html.contains(
                    "<tr data-metric-key=\"loss\"><td>loss</td><td class=\"num\" data-field=\"value\">1.5</td>"))
            #expect(html.contains("<td class=\"num\" data-field=\"step\">2</td>"))
            #expect(html.contains("<figure class=\"card chart-card\" data-chart-key=\"acc\" style=\"margin:0\">"))
            #expect(html.contains("<figure class=\"card chart-card\" data-chart-key=\"loss\" style=\"margin:0\">"))
            #expect(html.contains("data-zoom-url=\"/ui/runs/\(run.id.rawValue)/chart?key=loss\""))
            #expect(html.contains("<script src=\"\(ChartScript.asset.url)\" defer></script>"))
            #expect(!html.contains("id=\"run-live\""))
            // The parent lists the run as its child; the child's page links back.
            #expect(try await scenario.page(parent).contains("<a href=\"/runs/\(run.id.rawValue)\">trial-7</a>"))
            #expect(try await scenario.page(child).contains("<a href=\"/runs/\(run.id.rawValue)\">trial-7</a>"))
        }
    }

    @Test("Chart controls reload the page with axis, scale and smoothing in the query")
    func chartControls() async throws {
        try await RunPageScenario.run { scenario in
            let run = try await scenario.makeRun()
            try await scenario.log(run, "loss", [3, 2, 1])
            let html = try await scenario.page(run, query: "?axis=relative&scale=log&smooth=0.6")
            #expect(html.contains("<option value=\"relative\" selected>Time since start</option>"))
            #expect(html.contains("<option value=\"log\" selected>Log</option>"))
            #expect(html.contains("name=\"smooth\" type=\"number\" min=\"0\" max=\"0.99\" step=\"0.05\" value=\"0.6\""))
            #expect(html.contains("data-axis=\"relative\" data-scale=\"log\""))
            #expect(html.contains("<path class=\"smoothed\""))
            #expect(html.contains("chart?key=loss&amp;axis=relative&amp;scale=log&amp;smooth=0.6"))
        }
    }

    @Test("The first 12 charts are drawn inline; the rest load on demand, or all with charts=all")
    func manyCharts() async throws {
        try await RunPageScenario.run { scenario in
            let run = try await scenario.makeRun()
            for index in 0..<15 {
                try await scenario.log(run, String(format: "m%02d", index), [1, 2])
            }
            let html = try await scenario.page(run)
            #expect(html.components(separatedBy: "<svg xmlns").count - 1 == 12)
            #expect(html.contains("<h3>3 more charts</h3>"))
            #expect(html.contains("data-chart-key=\"m14\" data-src=\"/ui/runs/\(run.id.rawValue)/chart?key=m14\""))
            let all = try await scenario.page(run, query: "?charts=all")
            #expect(all.components(separatedBy: "<svg xmlns").count - 1 == 15)
        }
    }

    @Test("A running run's page carries the live-refresh hook; a finished one's does not")
    func liveHook() async throws {
        try await RunPageScenario.run { scenario in
            let running = try await scenario.makeRun(status: .running)
            let html = try await scenario.page(running)
            #expect(
                html.contains(
                    "<p class=\"muted\" id=\"run-live\" data-live-url=\"/api/runs/\(running.id.rawValue)\""
                        + " data-interval=\"5000\">"))
            #expect(html.contains("so far</dd>"))
            let finished = try await scenario.makeRun(status: .finished)
            let done = try await scenario.page(finished)
            #expect(!done.contains("run-live"))
            #expect(!done.contains("data-live-url"))
        }
    }

    @Test("Tag forms set, change and remove tags, then redirect back to the page")
    func tagForms() async throws {
        try await RunPageScenario.run { scenario in
            let run = try await scenario.makeRun()
            let tagsURL = WebPaths.run(run.id) + "/tags"
            var response = try await scenario.client.postPageForm(tagsURL, [("key", "stage"), ("value", "dev")])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/runs/\(run.id.rawValue)#tags")
            response = try await scenario.client.postPageForm(tagsURL, [("key", "stage"), ("value", "prod & more")])
            #expect(response.status == .seeOther)
            var stored = try await scenario.store.run(id: run.id)
            #expect(stored.tags.first { $0.key == "stage" }?.value == "prod & more")
            let html = try await scenario.page(run)
            #expect(html.contains("<tr><td>stage</td><td>prod &amp; more</td>"))
            #expect(html.contains("<form method=\"post\" action=\"/runs/\(run.id.rawValue)/tags/delete\">"))
            response = try await scenario.client.postPageForm(tagsURL + "/delete", [("key", "stage")])
            #expect(response.status == .seeOther)
            stored = try await scenario.store.run(id: run.id)
            #expect(!stored.tags.contains { $0.key == "stage" })
            response = try await scenario.client.postPageForm(tagsURL, [("key", "  "), ("value", "x")])
            #expect(response.status == .unprocessableContent)
        }
    }

    @Test("An unknown run is a 404 page")
    func unknownRun() async throws {
        try await RunPageScenario.run { scenario in
            let response = try await scenario.client.fetchPage("/runs/0123456789abcdef0123456789abcdef")
            #expect(response.status == .notFound)
        }
    }
}
