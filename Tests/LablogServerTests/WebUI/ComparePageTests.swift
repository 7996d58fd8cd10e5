import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LablogCore
import Testing

@testable import LablogServer

@Suite("Compare page")
struct ComparePageTests {
    static let pair = [
        SeededRun(
            name: "alpha", params: ["lr": "0.1", "opt": "sgd", "seed": "1"], metrics: ["acc": 0.7, "val_loss": 0.5]),
        SeededRun(
            name: "bravo", params: ["lr": "0.01", "opt": "sgd", "seed": "1"], metrics: ["acc": 0.9, "val_loss": 0.6]),
    ]

    /// A cell's content when it holds the best value.
    static func best(_ text: String) -> String { "<strong class=\"best\" title=\"best\">★ \(text)</strong>" }

    static func compareURL(_ id: ExperimentID, _ runs: [RunID], _ extra: String = "") -> String {
        "/experiments/\(id)/compare?runs=" + runs.map(\.rawValue).joined(separator: ",") + extra
    }

    @Test func twoRunsSideBySideWithDifferencesAndBestMarked() async throws {
        try await withTestApp { client, store in
            let (id, runIDs) = try await store.seed(experiment: "pair", runs: Self.pair)
            let response = try await client.fetchPage(Self.compareURL(id, runIDs))
            PageChecks.expectHTML(response)
            let html = response.text
            #expect(html.contains("Comparing 2 runs"))
            #expect(
                html.contains(
                    "<p class=\"crumbs\"><a href=\"/experiments\">Experiments</a> / <a href=\"/experiments/\(id)\">"
                        + "pair</a> / <span aria-current=\"page\">Compare runs</span></p>"))
            let params = html.slice(from: "<table id=\"params-table\"", to: "</table>")
            let lr = params.slice(from: "<th scope=\"row\">lr</th>", to: "</tr>")
            #expect(
                lr.contains(
                    "<th scope=\"row\">lr</th>\n      <td class=\"differs\">0.1</td><td class=\"differs\">0.01</td>"))
            #expect(params.contains("<tr class=\"differs\">\n      <th scope=\"row\">lr</th>"))
            #expect(params.contains("<tr class=\"same\">\n      <th scope=\"row\">opt</th>"))
            // acc: highest is best; val_loss: lowest is best.
            let acc = html.slice(from: "<th scope=\"row\">acc", to: "</tr>")
            #expect(
                acc.contains("<td class=\"num\">0.7</td><td class=\"num\">" + Self.best("0.9")))
            let loss = html.slice(from: "<th scope=\"row\">val_loss", to: "</tr>")
            #expect(loss.contains("lowest is best"))
            #expect(
                loss.contains(
                    "<td class=\"num\">" + Self.best("0.5") + "</td><td class=\"num\">0.6</td>"
                ))
            // The user can flip the direction.
            let flipped = try await client.fetchPage(Self.compareURL(id, runIDs, "&flip=acc")).text
            let flippedAcc = flipped.slice(from: "<th scope=\"row\">acc", to: "</tr>")
            #expect(flippedAcc.contains("<td class=\"num\">" + Self.best("0.7") + "</td>"))
            #expect(flippedAcc.contains("lowest is best"))
            // One overlaid chart per metric with one series per run.
            #expect(html.occurrences(of: "<figcaption>") == 2)
            #expect(html.contains("class=\"legend-item\""))
            // The user picks the charted metrics; the choice is a GET form.
            let one = try await client.fetchPage(Self.compareURL(id, runIDs, "&chart_set=1&chart=acc")).text
            #expect(one.occurrences(of: "<figcaption>") == 1 && one.contains("<figcaption>acc</figcaption>"))
            #expect(one.contains("name=\"chart\" value=\"val_loss\"> val_loss</label>"))
            #expect(one.contains("name=\"chart\" value=\"acc\" checked> acc</label>"))
        }
    }

    @Test func refreshesItselfOnlyWhileARunIsRunning() async throws {
        try await withTestApp { client, store in
            let (id, runIDs) = try await store.seed(experiment: "live", runs: Self.pair)
            let finished = try await client.fetchPage(Self.compareURL(id, runIDs)).text
            #expect(finished.contains("<div id=\"compare-live\">"))
            #expect(!finished.contains("data-live-page"))
            _ = try await store.updateRun(id: runIDs[0], RunUpdate(status: .running))
            let running = try await client.fetchPage(Self.compareURL(id, runIDs)).text
            #expect(running.contains("<div id=\"compare-live\" data-live-page=\"5000\">"))
            #expect(running.contains("id=\"compare-live-note\""))
            // The live region holds the metrics table and the charts, which are what the refresh replaces.
            let region = running.slice(from: "<div id=\"compare-live\"", to: "id=\"parallel-heading\"")
            #expect(region.contains("Latest metrics"))
            #expect(region.contains("<figure class=\"card\" data-chart-key=\"acc\">"))
        }
    }

    @Test func differencesOnlyHidesEqualRows() async throws {
        try await withTestApp { client, store in
            let (id, runIDs) = try await store.seed(experiment: "diff", runs: Self.pair)
            let all = try await client.fetchPage(Self.compareURL(id, runIDs)).text
            #expect(!all.contains(" hidden>"))
            #expect(all.contains("data-diff-toggle=\"params-table\">"))
            let html = try await client.fetchPage(Self.compareURL(id, runIDs, "&diff=1")).text
            #expect(html.contains("<tr class=\"same\" hidden>\n      <th scope=\"row\">opt</th>"))
            #expect(html.contains("<tr class=\"same\" hidden>\n      <th scope=\"row\">seed</th>"))
            #expect(html.contains("<tr class=\"differs\">\n      <th scope=\"row\">lr</th>"))
            #expect(html.contains("data-diff-toggle=\"params-table\" checked>"))
            #expect(html.contains("(2 equal hidden)"))
        }
    }

    @Test func sixtyRunsAllPresent() async throws {
        try await withTestApp { client, store in
            var runs: [SeededRun] = []
            for index in 0..<60 {
                let fraction = Double(index) / 60
                let arch = index % 2 == 0 ? "cnn" : "vit"
                runs.append(
                    SeededRun(
                        name: "run-\(index)", params: ["lr": String(Double(index) / 100), "arch": arch],
                        metrics: ["acc": fraction, "loss": 1 - fraction]))
            }
            let (id, runIDs) = try await store.seed(experiment: "sixty", runs: runs)
            let html = try await client.fetchPage(Self.compareURL(id, runIDs)).text
            #expect(html.contains("Comparing 60 runs"))
            for runID in runIDs {
                // Heading in the params and metrics tables.
                #expect(html.occurrences(of: "<a href=\"/runs/\(runID)\">") >= 2)
            }
            #expect(html.occurrences(of: "<polyline class=\"run-line\"") == 60)
            #expect(html.occurrences(of: "<circle class=\"run-point\"") == 60)
            // Two charts of 60 lines share the page's bucket budget.
            #expect(html.contains("reduced to at most 10 buckets per chart"))
            #expect(html.utf8.count < 300_000)
            let acc = html.slice(from: "<th scope=\"row\">acc", to: "</tr>")
            #expect(acc.occurrences(of: "class=\"best\"") == 1 && acc.contains("★ 0.983333</strong>"))
            let loss = html.slice(from: "<th scope=\"row\">loss", to: "</tr>")
            #expect(loss.occurrences(of: "class=\"best\"") == 1 && loss.contains("★ 0.0166667</strong>"))
            // Repeated `runs` parameters work as well as a comma list.
            let repeated = "/experiments/\(id)/compare?" + runIDs.map { "runs=\($0)" }.joined(separator: "&")
            #expect(try await client.fetchPage(repeated).text.contains("Comparing 60 runs"))
        }
    }

    @Test func comparesAcrossExperimentsAndReportsUnknownIDs() async throws {
        try await withTestApp { client, store in
            let (_, first) = try await store.seed(experiment: "first-exp", runs: [Self.pair[0]])
            let (secondID, second) = try await store.seed(experiment: "second-exp", runs: [Self.pair[1]])
            let unknown = RunID.random()
            let url = "/compare?runs=\(first[0]),\(second[0]),\(unknown)"
            let response = try await client.fetchPage(url)
            PageChecks.expectHTML(response)
            let html = response.text
            #expect(html.contains("Comparing 2 runs"))
            #expect(html.contains("1 of the requested run ids were not found"))
            #expect(html.contains("in <a href=\"/experiments/\(secondID)\">second-exp</a>"))
            #expect(html.contains(">first-exp</a>"))
            // The breadcrumb leads to the experiments list and ends with this page, not a dangling separator.
            #expect(
                html.contains(
                    "<p class=\"crumbs\"><a href=\"/experiments\">Experiments</a> / "
                        + "<span aria-current=\"page\">Compare runs</span></p>"))
            #expect(!html.contains("Experiments</a> /</p>"))
            // Within one experiment, runs of another are not found.
            let scoped = try await client.fetchPage(Self.compareURL(secondID, [first[0], second[0]])).text
            #expect(scoped.contains("Comparing 1 run"))
            let empty = try await client.fetchPage("/compare?runs=not-an-id")
            PageChecks.expectHTML(empty)
            #expect(empty.text.contains("No runs to compare."))
        }
    }

    @Test func parallelCoordinatesAndScatterDrawEveryRun() async throws {
        try await withTestApp { client, store in
            let runs = [
                SeededRun(name: "a", params: ["lr": "0.1", "opt": "sgd"], metrics: ["acc": 0.5]),
                SeededRun(name: "b", params: ["lr": "0.2", "opt": "adam"], metrics: ["acc": 0.7]),
                SeededRun(name: "c", params: ["lr": "0.3", "opt": "adam"], metrics: ["acc": 0.9]),
            ]
            let (id, runIDs) = try await store.seed(experiment: "charts", runs: runs)
            let html = try await client.fetchPage(Self.compareURL(id, runIDs)).text
            let parallel = html.slice(
                from: "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart parallel\"", to: "</svg>")
            #expect(parallel.occurrences(of: "<polyline class=\"run-line\"") == 3)
            #expect(parallel.occurrences(of: "<g class=\"axis\" data-kind=\"numeric\">") == 2)
            #expect(parallel.occurrences(of: "<g class=\"axis\" data-kind=\"categorical\">") == 1)
            for title in ["lr", "opt", "acc"] { #expect(parallel.contains(">\(title)<title>")) }
            // Round tick values on the numeric axes: lr 0.1...0.3 in steps of 0.05, acc 0.5...0.9 in steps of 0.1.
            let lrAxis = parallel.slice(from: ">lr<title>", to: "</g>")
            #expect(lrAxis.occurrences(of: "class=\"pc-tick\"") == 5)
            for label in ["0.10", "0.15", "0.20", "0.25", "0.30"] { #expect(lrAxis.contains(">\(label)</text>")) }
            // The metric axis is last: its labels sit right of it, clear of the lines.
            let accAxis = parallel.slice(from: ">acc<title>", to: "</g>")
            for label in ["0.5", "0.6", "0.7", "0.8", "0.9"] { #expect(accAxis.contains(">\(label)</text>")) }
            #expect(accAxis.occurrences(of: "text-anchor=\"start\"") == 5)
            #expect(!accAxis.contains("text-anchor=\"end\""))
            // Titles carry no outline; tick labels a white halo painted under the glyphs.
            #expect(parallel.occurrences(of: "font-weight=\"600\" fill=\"#1d2330\" stroke=\"none\"") == 3)
            #expect(lrAxis.contains("paint-order=\"stroke\" stroke=\"#fff\""))
            // Three axes fit a phone: the chart scales down without a scroll box.
            #expect(parallel.contains("style=\"max-width: 640px; min-width: 269px\""))
            #expect(!html.contains("class=\"scroll-hint\""))
            // The best run is yellow, the worst purple.
            #expect(parallel.contains("stroke=\"#fde725\"") && parallel.contains("stroke=\"#440154\""))

            let scatter = html.slice(from: "class=\"chart scatter\"", to: "</svg>")
            #expect(scatter.occurrences(of: "<circle class=\"run-point\"") == 3)
            #expect(scatter.contains("param: lr") && scatter.contains("metric: acc"))
            // A categorical x draws bands; choices are remembered in the form.
            let chosen = try await client.fetchPage(Self.compareURL(id, runIDs, "&x=params.opt&y=metrics.acc")).text
            let bands = chosen.slice(from: "class=\"chart scatter\"", to: "</svg>")
            #expect(bands.contains("<g class=\"axis x-axis\" data-kind=\"categorical\">"))
            #expect(bands.occurrences(of: "<circle class=\"run-point\"") == 3)
            #expect(chosen.contains("<option value=\"params.opt\" selected>param: opt</option>"))
            // Choosing one param for parallel coordinates leaves two axes.
            let one = try await client.fetchPage(Self.compareURL(id, runIDs, "&pc_set=1&pc=opt&pc_metric=acc")).text
            let narrowed = one.slice(from: "class=\"chart parallel\"", to: "</svg>")
            #expect(narrowed.occurrences(of: "<g class=\"axis\"") == 2)
        }
    }

    @Test func userStringsStayInertInTablesAndCharts() async throws {
        try await withTestApp { client, store in
            let evil = [
                SeededRun(
                    name: Payloads.script, params: ["a/b c:d": Payloads.script, "p": Payloads.quote],
                    metrics: ["loss/x y": 1, "acc": 2], tags: ["t": Payloads.attribute]),
                SeededRun(
                    name: Payloads.attribute, params: ["a/b c:d": Payloads.attribute, "p": "2"],
                    metrics: ["loss/x y": 3]),
            ]
            let (id, runIDs) = try await store.seed(experiment: Payloads.script, runs: evil)
            let x = Paths.percentEncode("params.a/b c:d") + "&y=" + Paths.percentEncode("metrics.loss/x y")
            let html = try await client.fetchPage(
                Self.compareURL(id, runIDs, "&x=\(x)&flip=\(Paths.percentEncode(Payloads.script))")
            ).text
            PageChecks.expectInert(html)
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!html.contains("' onmouseover='"))
            #expect(html.occurrences(of: "<circle class=\"run-point\"") == 2)
        }
    }

    @Test func numericAxesTickAtRoundNumbersWithinTheirRange() {
        func labels(_ lower: Double, _ upper: Double) -> [String] {
            ValueAxis.numeric(lower: lower, upper: upper).ticks().map(\.label)
        }
        #expect(labels(32, 256) == ["50", "100", "150", "200", "250"])
        #expect(labels(0.001, 0.1) == ["0.02", "0.04", "0.06", "0.08", "0.10"])
        #expect(labels(0.6516, 0.99) == ["0.7", "0.8", "0.9"])
        #expect(labels(0.0001, 0.0005) == ["0.0001", "0.0002", "0.0003", "0.0004", "0.0005"])
        #expect(labels(-3, 2.5) == ["-2", "0", "2"])
        #expect(labels(3e-5, 0.03) == ["0.01", "0.02", "0.03"])
        // Positions match the values: 100 on 0...200 is half-way.
        let half = ValueAxis.numeric(lower: 0, upper: 200).ticks().first { $0.label == "100" }
        #expect(half?.position == 0.5)
        // One value: one tick in the middle.
        #expect(ValueAxis.numeric(lower: 4, upper: 4).ticks().map(\.label) == ["4"])
        #expect(ValueAxis.numeric(lower: 200_000, upper: 200_000).ticks().map(\.label) == ["200000"])
    }

    @Test func wideParallelCoordinatesScrollWithAHintOnPhones() {
        let titles = (0..<8).map { "param_\($0)" } + ["acc"]
        let chart = ParallelCoordinates(
            axisTitles: titles, lines: [.init(label: "a", values: titles.map { _ in "1" })])
        #expect(chart.width == 1400 && chart.scrolls)
        #expect(chart.svg().contains("style=\"max-width: 1400px; min-width: 588px\""))
        #expect(chart.svg().contains("class=\"pc-title pc-odd\""))
        #expect(!ParallelCoordinates(axisTitles: ["a", "b", "c", "d", "acc"], lines: []).scrolls)
    }

    @Test func chartTypesEscapeEveryStringAndPickAxisKinds() {
        #expect(ValueAxis(values: ["1", "2.5", nil, "-3"]) == .numeric(lower: -3, upper: 2.5))
        #expect(ValueAxis(values: ["1", "adam", "sgd", "adam"]) == .categorical(["1", "adam", "sgd"]))
        #expect(ValueAxis(values: ["nan", "1"]).isNumeric == false)
        let lines = [
            ParallelCoordinates.Line(label: Payloads.script, values: [Payloads.quote, Payloads.attribute, "1"]),
            ParallelCoordinates.Line(label: Payloads.attribute, values: ["2", nil, nil]),
        ]
        let parallel = ParallelCoordinates(
            axisTitles: [Payloads.attribute, Payloads.quote, Payloads.script], lines: lines
        )
        .svg()
        PageChecks.expectInert(parallel)
        #expect(!parallel.contains("' onmouseover='") && !parallel.contains("<script>"))
        #expect(parallel.occurrences(of: "<polyline class=\"run-line\"") == 2)
        // A run without the metric is grey.
        #expect(parallel.contains("stroke=\"#9aa0a6\""))
        let points = [
            Scatter.Point(label: Payloads.script, x: Payloads.attribute, y: 1, color: Payloads.quote),
            Scatter.Point(label: Payloads.quote, x: "b", y: 2, color: "#000"),
        ]
        let scatter = Scatter(xTitle: Payloads.script, yTitle: Payloads.attribute, points: points).svg()
        PageChecks.expectInert(scatter)
        #expect(!scatter.contains("' onmouseover='") && !scatter.contains("<script>"))
        #expect(scatter.occurrences(of: "<circle class=\"run-point\"") == 2)
    }
}
