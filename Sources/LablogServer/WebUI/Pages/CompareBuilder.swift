import LablogCore

/// Turns the compared runs into the compare page's view model.
struct CompareBuilder {
    let state: CompareState
    let experiment: Experiment?
    let runs: [Run]
    let experimentNames: [ExperimentID: String]
    let colors: [String]

    /// How many params the parallel-coordinates chart shows before the user chooses.
    static let defaultParallelParams = 6

    /// Whether a smaller value of the metric is better by default: losses, errors and perplexity.
    static func lowerIsBetter(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return ["loss", "err", "mse", "mae", "rmse", "perplexity"].contains { lowered.contains($0) }
    }

    private var paramKeys: [String] { Set(runs.flatMap { $0.params.map(\.key) }).sorted() }
    private var metricKeys: [String] { Set(runs.flatMap { $0.latestMetrics.map(\.key) }).sorted() }

    private func param(_ run: Run, _ key: String) -> String? { run.params.first { $0.key == key }?.value }
    private func metric(_ run: Run, _ key: String) -> Double? { run.latestMetrics.first { $0.key == key }?.value }
    private func name(_ run: Run) -> String { run.name.isEmpty ? run.id.rawValue : run.name }
    private func color(_ index: Int) -> String { ChartPalette.color(index, in: colors) }

    func model(
        chartKeys: [String], buckets: [String: [RunID: [MetricBucket]]], bucketsPerRun: Int, missing: Int,
        ignored: Int
    ) -> ComparePageModel {
        let params = paramRows()
        var notes: [String] = []
        if missing > 0 { notes.append("\(missing) of the requested run ids were not found and are left out.") }
        if ignored > 0 {
            notes.append("Only the first \(ComparePage.maxRuns) runs are compared; \(ignored) more ignored.")
        }
        let summary = "Comparing " + NumberFormatting.runs(runs.count)
        return ComparePageModel(
            layout: Assets.layout(onExperiments: true), title: "Compare runs",
            experimentName: experiment?.name, experimentURL: experiment.map { WebPaths.experiment($0.id) },
            summary: summary, notes: notes, hasRuns: !runs.isEmpty, runs: heads,
            crossExperiment: Set(runs.map(\.experimentID)).count > 1 || experiment == nil, params: params,
            hasParams: !params.isEmpty, differencesOnly: state.differencesOnly,
            diffFields: state.query.removing(["diff"]).hiddenFields,
            equalParamCount: params.filter { !$0.differs }.count, metrics: metricRows(),
            hasMetrics: !metricKeys.isEmpty, charts: charts(chartKeys, buckets: buckets),
            chartNote: chartNote(drawnKeys: chartKeys.count, bucketsPerRun: bucketsPerRun),
            live: runs.contains { $0.status == .running && $0.lifecycle == .active },
            chartChoices: metricKeys.map { ColumnChoice(name: $0, label: $0, checked: chartKeys.contains($0)) },
            chartFields: state.query.removing(["chart", "chart_set"]).hiddenFields, parallel: parallel(),
            scatter: scatter())
    }

    private var heads: [CompareRunHead] {
        runs.enumerated().map { index, run in
            CompareRunHead(
                id: run.id.rawValue, name: name(run), url: WebPaths.run(run.id), color: color(index),
                experimentName: experimentNames[run.experimentID] ?? String(run.experimentID),
                experimentURL: WebPaths.experiment(run.experimentID))
        }
    }

    private func paramRows() -> [CompareParamRow] {
        paramKeys.map { key in
            let values = runs.map { param($0, key) }
            let differs = Set(values).count > 1
            let cells = values.map { CompareCell(text: $0 ?? "", missing: $0 == nil, differs: differs, best: false) }
            return CompareParamRow(key: key, differs: differs, hidden: state.differencesOnly && !differs, cells: cells)
        }
    }

    private func metricRows() -> [CompareMetricRow] {
        metricKeys.map { key in
            let lower = Self.lowerIsBetter(key) != state.flipped.contains(key)
            let values = runs.map { metric($0, key) }
            let finite = values.compactMap { $0 }.filter(\.isFinite)
            let best = lower ? finite.min() : finite.max()
            let cells = values.map { value in
                CompareCell(
                    text: value.map { NumberFormatting.significant($0) } ?? "", missing: value == nil, differs: false,
                    best: value != nil && value == best)
            }
            return CompareMetricRow(
                key: key, goal: lower ? "min" : "max", goalLabel: lower ? "lowest is best" : "highest is best",
                flipURL: state.flipping(key).url(currentPath),
                flipLabel: lower ? "Prefer highest" : "Prefer lowest", cells: cells)
        }
    }

    private var currentPath: String {
        experiment.map { WebPaths.experiment($0.id) + "/compare" } ?? WebPaths.compareAcross
    }

    private func charts(_ keys: [String], buckets: [String: [RunID: [MetricBucket]]]) -> [CompareChart] {
        keys.map { key in
            let series = runs.prefix(ComparePage.maxChartRuns).enumerated().compactMap { index, run in
                buckets[key]?[run.id].map { ChartSeries(label: name(run), color: color(index), buckets: $0) }
            }
            return CompareChart(key: key, svg: LineChart(title: key, axis: .step, series: series).svg())
        }
    }

    private func chartNote(drawnKeys: Int, bucketsPerRun: Int) -> String {
        var note = "Each run's history is reduced to at most \(bucketsPerRun) buckets per chart (each keeps its "
        note += "minimum and maximum, so no spike disappears); the more runs and charts, the fewer buckets, so the "
        note += "page stays small."
        if metricKeys.count > drawnKeys {
            let most = ComparePage.maxCharts(runs: min(runs.count, ComparePage.maxChartRuns))
            note += " \(drawnKeys) of \(metricKeys.count) metric keys are charted (at most \(most) for this many "
            note += "runs); choose them below."
        }
        if runs.count > ComparePage.maxChartRuns {
            note += " Charts draw the first \(ComparePage.maxChartRuns) of \(runs.count) runs."
        }
        return note
    }

    private func parallel() -> CompareChartPanel? {
        let keys = paramKeys
        let metrics = metricKeys
        guard !runs.isEmpty, !keys.isEmpty || !metrics.isEmpty else { return nil }
        let differing = keys.filter { key in Set(runs.map { param($0, key) }).count > 1 }
        let chosen =
            state.parallelParams.map { wanted in keys.filter(wanted.contains) }
            ?? Array((differing.isEmpty ? keys : differing).prefix(Self.defaultParallelParams))
        let metricKey = state.parallelMetric.flatMap { metrics.contains($0) ? $0 : nil } ?? metrics.first
        let titles = chosen + (metricKey.map { [$0] } ?? [])
        let lines = runs.map { run in
            let value = metricKey.flatMap { metric(run, $0) }.flatMap { $0.isFinite ? String($0) : nil }
            let values = chosen.map { param(run, $0) } + (metricKey == nil ? [] : [value])
            return ParallelCoordinates.Line(label: name(run), values: values)
        }
        var note = "One line per run, coloured by "
        note +=
            metricKey.map { "\($0) (purple lowest, yellow highest; grey without a value)." } ?? "nothing (no metrics)."
        let chart = ParallelCoordinates(axisTitles: titles, lines: lines)
        return CompareChartPanel(
            svg: titles.isEmpty ? "" : chart.svg(), scrolls: !titles.isEmpty && chart.scrolls, note: note,
            fields: state.query.removing(["pc", "pc_set", "pc_metric"]).hiddenFields,
            checkboxes: keys.map { ColumnChoice(name: $0, label: $0, checked: chosen.contains($0)) },
            firstSelect: metrics.map { SelectOption(value: $0, label: $0, selected: $0 == metricKey) },
            secondSelect: [])
    }

    private func scatter() -> CompareChartPanel? {
        let options =
            paramKeys.map { ("params." + $0, "param: " + $0) } + metricKeys.map { ("metrics." + $0, "metric: " + $0) }
        guard !runs.isEmpty, !options.isEmpty else { return nil }
        let names = options.map(\.0)
        let differing = paramKeys.first { key in Set(runs.map { param($0, key) }).count > 1 }.map { "params." + $0 }
        let x = state.scatterX.flatMap { names.contains($0) ? $0 : nil } ?? differing ?? names[0]
        let y =
            state.scatterY.flatMap { names.contains($0) ? $0 : nil } ?? metricKeys.first.map { "metrics." + $0 }
            ?? names[0]
        var points: [Scatter.Point] = []
        for (index, run) in runs.enumerated() {
            guard let xValue = value(run, x), let yText = value(run, y), let yValue = ValueAxis.number(yText) else {
                continue
            }
            points.append(Scatter.Point(label: name(run), x: xValue, y: yValue, color: color(index)))
        }
        let label = { (name: String) in options.first { $0.0 == name }?.1 ?? name }
        var note = "One point per run."
        if points.count < runs.count {
            note += " \(runs.count - points.count) runs without a value for x or a numeric y are left out."
        }
        return CompareChartPanel(
            svg: Scatter(xTitle: label(x), yTitle: label(y), points: points).svg(), scrolls: false, note: note,
            fields: state.query.removing(["x", "y"]).hiddenFields, checkboxes: [],
            firstSelect: options.map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == x) },
            secondSelect: options.map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == y) })
    }

    /// A run's value of `params.<key>` or `metrics.<key>` as text.
    private func value(_ run: Run, _ name: String) -> String? {
        if name.hasPrefix("params.") { return param(run, String(name.dropFirst("params.".count))) }
        guard let value = metric(run, String(name.dropFirst("metrics.".count))), value.isFinite else { return nil }
        return String(value)
    }
}
