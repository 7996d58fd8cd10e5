import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import Testing

@Suite("Dashboard page")
struct DashboardPageTests {
    /// 2026-11-20T10:00:00Z and two days later.
    static let day20: Int64 = 1_795_168_800_000
    static let day22: Int64 = day20 + 2 * 86_400_000

    /// Two experiments and three runs with `accuracy` over two days, plus the `Default` experiment.
    static func seed(_ store: any TrackingStore) async throws -> (alpha: Experiment, beta: Experiment, runs: [Run]) {
        let alpha = try await store.createExperiment(NewExperiment(name: "alpha", status: .completed))
        let beta = try await store.createExperiment(NewExperiment(name: "beta"))
        func run(_ experiment: Experiment, _ name: String, _ status: RunStatus, _ start: Int64, _ accuracy: Double)
            async throws -> Run
        {
            try await store.createRun(
                NewRun(
                    experimentID: experiment.id, name: name, status: status, startTime: start,
                    metrics: [MetricPoint(key: "accuracy", value: accuracy, step: 0, timestamp: start)]))
        }
        let runs = [
            try await run(alpha, "a1", .finished, day20, 0.9),
            try await run(alpha, "a2", .finished, day22, 0.95),
            try await run(beta, "b1", .failed, day22 + 1000, 0.5),
        ]
        return (alpha, beta, runs)
    }

    @Test func showsStatusBarsRunsOverTimeAndBestRuns() async throws {
        try await withTestApp { client, store in
            let (alpha, beta, runs) = try await Self.seed(store)
            let response = try await client.fetchPage("/dashboard")
            PageChecks.expectHTML(response)
            let html = response.text
            #expect(html.contains("<p>3 active experiments · 3 active runs</p>"))
            #expect(html.contains(#"aria-current="page">Dashboard</a>"#))
            // Status bars carry their numbers as text, largest first.
            #expect(
                html.contains(
                    #"""
                    <li><span class="bar-label status-running">running</span>
                            <span class="bar-track"><span class="bar-fill" style="width: 100.0%"></span></span>
                            <span class="bar-count">2</span></li>
                    """#))
            #expect(html.contains(#"<span class="bar-fill" style="width: 50.0%"></span>"#))
            #expect(html.contains(#"<span class="bar-label status-FINISHED">FINISHED</span>"#))
            #expect(html.contains(#"<span class="bar-label status-FAILED">FAILED</span>"#))
            // Runs per day: an SVG with a bar per day, axis labels and the same numbers as a table.
            // Two shapes of the chart, wide for desktop cards and narrow for phones; the style sheet shows one.
            #expect(html.contains(#"<svg class="chart runs-chart runs-chart-wide" viewBox="0 0 1200 300" role="img""#))
            #expect(html.contains(#"<svg class="chart runs-chart runs-chart-narrow" viewBox="0 0 600 240" role="img""#))
            let label = "aria-label=\"Runs started per day, 2026-11-20 to 2026-11-22: 3 runs\""
            #expect(html.components(separatedBy: label).count == 3)
            #expect(html.contains("<title>2026-11-20: 1 run</title>"))
            #expect(html.contains("<title>2026-11-22: 2 runs</title>"))
            #expect(html.contains(#"text-anchor="start">2026-11-20</text>"#))
            #expect(html.contains(#"text-anchor="end">2026-11-22</text>"#))
            #expect(html.contains(#"<tr><td>2026-11-22</td><td class="num">2</td></tr>"#))
            // Best runs for the default metric, highest first, linking to runs and experiments.
            #expect(html.contains(#"<input name="metric" value="accuracy" required>"#))
            let rows = bestRows(html)
            #expect(
                rows == [
                    ["/experiments/\(alpha.id)", "alpha", "/runs/\(runs[1].id.rawValue)", "a2", "0.95"],
                    ["/experiments/\(beta.id)", "beta", "/runs/\(runs[2].id.rawValue)", "b1", "0.5"],
                ])
            PageChecks.expectNoExternalURLs(html)
        }
    }

    @Test func bestRunsFollowTheChosenMetricAndGoal() async throws {
        try await withTestApp { client, store in
            let (_, _, runs) = try await Self.seed(store)
            let lowest = try await client.fetchPage("/dashboard?metric=accuracy&goal=min")
            PageChecks.expectHTML(lowest)
            #expect(bestRows(lowest.text).map { $0[3] } == ["b1", "a1"])
            #expect(bestRows(lowest.text).first?[2] == "/runs/\(runs[2].id.rawValue)")
            #expect(lowest.text.contains(#"<option value="min" selected>Lowest is best</option>"#))
            #expect(lowest.text.contains("accuracy (lowest)"))
            let unknown = try await client.fetchPage("/dashboard?metric=loss")
            PageChecks.expectHTML(unknown)
            #expect(unknown.text.contains("No run has logged “loss”."))
            #expect(bestRows(unknown.text).isEmpty)
            let tooLong = try await client.fetchPage("/dashboard?metric=" + String(repeating: "m", count: 1000))
            PageChecks.expectHTML(tooLong, status: .unprocessableContent)
            #expect(tooLong.text.contains("A metric key has at most"))
        }
    }

    @Test func emptyStoreRendersPlaceholders() async throws {
        try await withTestApp { client, _ in
            let response = try await client.fetchPage("/dashboard")
            PageChecks.expectHTML(response)
            #expect(response.text.contains("<p>1 active experiments · 0 active runs</p>"))
            #expect(response.text.contains("No runs yet."))
            #expect(!response.text.contains("<svg"))
        }
    }

    @Test func userTextStaysInert() async throws {
        try await withTestApp { client, store in
            for (index, payload) in ExperimentsPageTests.payloads.enumerated() {
                let experiment = try await store.createExperiment(NewExperiment(name: payload + " \(index)"))
                _ = try await store.createRun(
                    NewRun(
                        experimentID: experiment.id, name: payload,
                        metrics: [MetricPoint(key: "accuracy", value: 0.5, step: 0, timestamp: Self.day20)]))
            }
            let response = try await client.fetchPage("/dashboard?metric=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            PageChecks.expectInert(response.text)
            #expect(response.text.contains("No run has logged “&lt;script&gt;alert(1)&lt;/script&gt;”."))
            let best = try await client.fetchPage("/dashboard")
            PageChecks.expectInert(best.text)
            #expect(bestRows(best.text).count == 3)
            #expect(best.text.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt; 1"))
            #expect(!best.text.contains("it's"))
        }
    }
}

/// The best-runs table: experiment link and name, run link and name, value.
private func bestRows(_ html: String) -> [[String]] {
    let row =
        #/
        <tr><td><a\ href="([^"]*)">([^<]*)</a></td>\s*
        <td><a\ href="([^"]*)">([^<]*)</a></td>\s*
        <td\ class="num">([^<]*)</td></tr>
        /#
    return html.matches(of: row).map { match in
        [match.output.1, match.output.2, match.output.3, match.output.4, match.output.5].map(String.init)
    }
}
