import LablogCore

/// Turns an experiment, the table state and one page of runs into the experiment page's view model.
struct ExperimentPageBuilder {
    let experiment: Experiment
    let state: RunTableState
    let available: RunColumns
    /// The key the table is sorted by, when the URL names one.
    let order: OrderKey?

    /// Tags the tracker writes for itself; they crowd the default columns.
    private static func isSystemTag(_ key: String) -> Bool { key.hasPrefix("mlflow.") }

    var availableColumns: [RunColumn] {
        available.params.map { RunColumn(kind: .params, key: $0) }
            + available.metrics.map { RunColumn(kind: .metrics, key: $0) }
            + available.tags.map { RunColumn(kind: .tags, key: $0) }
    }

    /// The columns shown: the user's choice (limited to keys that exist), or a few of each kind.
    var shownColumns: [RunColumn] {
        if let chosen = state.columns {
            let existing = Set(availableColumns)
            return chosen.filter { existing.contains($0) }
        }
        let limit = ExperimentPage.defaultColumnsPerKind
        return available.params.prefix(limit).map { RunColumn(kind: .params, key: $0) }
            + available.metrics.prefix(limit).map { RunColumn(kind: .metrics, key: $0) }
            + available.tags.filter { !Self.isSystemTag($0) }.prefix(limit).map { RunColumn(kind: .tags, key: $0) }
    }

    func model(page: Page<Run>, filterError: FilterErrorView?, notice: String?) -> ExperimentPageModel {
        let columns = shownColumns
        let base = WebPaths.experiment(experiment.id)
        let stateQuery = state.query
        var trash = stateQuery.removing(["lifecycle"])
        trash.add("lifecycle", "deleted")
        var exportQuery = PageQuery()
        exportQuery.add("filter", state.filter)
        exportQuery.add("lifecycle", state.viewingTrash ? "deleted" : nil)
        var csv = exportQuery
        csv.add("format", "csv")
        var json = exportQuery
        json.add("format", "json")
        let pager = PagerModel(
            path: base, query: stateQuery.items.map { ($0.name, $0.value) }, cursor: state.cursor, back: state.back,
            nextCursor: page.nextCursor, totalCount: page.totalCount,
            noun: state.viewingTrash ? "deleted runs" : "runs")
        return ExperimentPageModel(
            layout: Assets.layout(onExperiments: true), title: experiment.name, experiment: header,
            notice: notice, filter: state.filter, filterError: filterError, viewingTrash: state.viewingTrash,
            activeURL: stateQuery.removing(["lifecycle"]).url(base), trashURL: trash.url(base),
            pageSizes: ExperimentPage.pageSizes.map { PageSizeChoice(value: $0, selected: $0 == state.limit) },
            columnGroups: columnGroups(shown: Set(columns)), columnCount: 5 + columns.count,
            headers: headers(columns: columns, base: base),
            rows: page.items.map { row($0, columns: columns) }, hasRows: !page.items.isEmpty,
            summary: summary(page: page),
            emptyHint: isEmptyExperiment(page)
                ? EmptyExperimentHint(
                    createRunPath: Paths.experimentRuns(experiment.id), experimentName: experiment.name)
                : nil,
            pager: pager,
            filterFormFields: stateQuery.removing(["filter", "limit"]).hiddenFields,
            chooserFields: stateQuery.removing(["cols", "cols_set"]).hiddenFields,
            returnQuery: state.queryWithPosition.encoded, compareAction: base + "/compare",
            tagAction: base + "/runs/tag", deleteAction: base + "/runs/delete",
            restoreAction: base + "/runs/restore", exportCSV: csv.url(Paths.experimentExport(experiment.id)),
            exportJSON: json.url(Paths.experimentExport(experiment.id)))
    }

    private var header: ExperimentHeader {
        let description = experiment.description.flatMap { $0.isEmpty ? nil : $0 }
        return ExperimentHeader(
            id: String(experiment.id), name: experiment.name, status: experiment.status.rawValue,
            description: description, tags: experiment.tags.map { TagView(key: $0.key, value: $0.value) },
            hasTags: !experiment.tags.isEmpty,
            runCount: NumberFormatting.runs(experiment.runCount),
            created: TimeCell(milliseconds: experiment.createdAt), isDeleted: experiment.lifecycle == .deleted)
    }

    private func columnGroups(shown: Set<RunColumn>) -> [ColumnGroup] {
        let groups: [(String, RunColumn.Kind, [String])] = [
            ("Params", .params, available.params), ("Metrics", .metrics, available.metrics),
            ("Tags", .tags, available.tags),
        ]
        return groups.map { title, kind, keys in
            let columns = keys.map { key in
                let column = RunColumn(kind: kind, key: key)
                return ColumnChoice(name: column.name, label: key, checked: shown.contains(column))
            }
            return ColumnGroup(title: title, columns: columns, isEmpty: columns.isEmpty)
        }
    }

    private func headers(columns: [RunColumn], base: String) -> [HeaderCell] {
        var cells = [
            header("Name", group: nil, field: .attribute(.runName), text: "attributes.run_name", base: base),
            header("Status", group: nil, field: .attribute(.status), text: "attributes.status", base: base),
            header("Start", group: nil, field: .attribute(.startTime), text: "attributes.start_time", base: base),
            HeaderCell(label: "Duration", group: nil, sortURL: nil, ariaSort: nil, arrow: "", numeric: true),
        ]
        for column in columns {
            let field: FilterField =
                switch column.kind {
                case .params: .param(column.key)
                case .metrics: .metric(column.key)
                case .tags: .tag(column.key)
                }
            let text = PageFormat.orderField(prefix: column.kind.rawValue, key: column.key)
            cells.append(
                header(
                    column.key, group: column.kind.rawValue, field: field, text: text, base: base,
                    numeric: column.kind == .metrics))
        }
        return cells
    }

    private func header(
        _ label: String, group: String?, field: FilterField, text: String?, base: String, numeric: Bool = false
    ) -> HeaderCell {
        // Without an explicit order the store lists the newest runs first.
        let current = order ?? OrderKey(field: .attribute(.startTime), ascending: false)
        let isCurrent = current.field == field
        var sortURL: String?
        if let text {
            var query = state.query.removing(["order_by"])
            query.add("order_by", text + (isCurrent && current.ascending ? " DESC" : " ASC"))
            sortURL = query.url(base)
        }
        return HeaderCell(
            label: label, group: group, sortURL: sortURL,
            ariaSort: isCurrent ? (current.ascending ? "ascending" : "descending") : nil,
            arrow: isCurrent ? (current.ascending ? " ▲" : " ▼") : "", numeric: numeric)
    }

    private func row(_ run: Run, columns: [RunColumn]) -> RunRow {
        // The run page's format, so a run reads the same in both places.
        let duration = RunPage.duration(run)
        return RunRow(
            id: run.id.rawValue, name: run.name.isEmpty ? run.id.rawValue : run.name, url: WebPaths.run(run.id),
            status: run.status.rawValue, start: TimeCell(milliseconds: run.startTime), duration: duration,
            cells: columns.map { $0.cell(of: run) })
    }

    /// The active runs, unfiltered, from the first page, and still nothing: the experiment has no runs yet.
    private func isEmptyExperiment(_ page: Page<Run>) -> Bool {
        page.items.isEmpty && state.filter.isEmpty && !state.viewingTrash && state.cursor == nil
    }

    private func summary(page: Page<Run>) -> String {
        let total = page.totalCount ?? page.items.count
        let noun = state.viewingTrash ? "deleted runs" : "runs"
        if isEmptyExperiment(page) { return "No runs yet." }
        guard !page.items.isEmpty else { return "No \(noun) match." }
        let pageIndex = state.cursor == nil ? 0 : state.back.count
        let first = pageIndex * state.limit + 1
        return "Showing \(first)–\(first + page.items.count - 1) of \(total) \(total == 1 ? "run" : noun)"
    }
}
