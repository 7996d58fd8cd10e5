import LablogCore

/// The experiment page: its header and one page of its runs table.
struct ExperimentPageModel: PageModel {
    static let template = "experiment"

    let layout: LayoutModel
    let title: String
    let experiment: ExperimentHeader
    let notice: String?
    let filter: String
    let filterError: FilterErrorView?
    let viewingTrash: Bool
    let activeURL: String
    let trashURL: String
    let pageSizes: [PageSizeChoice]
    let columnGroups: [ColumnGroup]
    let columnCount: Int
    let headers: [HeaderCell]
    let rows: [RunRow]
    let hasRows: Bool
    let summary: String
    /// How to log a first run, when the experiment has none.
    let emptyHint: EmptyExperimentHint?
    let pager: PagerModel
    /// The page state the filter form keeps (order, lifecycle, columns).
    let filterFormFields: [HiddenField]
    /// The page state the column chooser keeps (everything but the columns).
    let chooserFields: [HiddenField]
    /// The page's own query, which bulk actions return to.
    let returnQuery: String
    let compareAction: String
    let tagAction: String
    let deleteAction: String
    let restoreAction: String
    let exportCSV: String
    let exportJSON: String
    let tableScriptURL = TableScript.asset.url
}

/// The top of the experiment page.
struct ExperimentHeader: Sendable {
    let id: String
    let name: String
    let status: String
    let description: String?
    let tags: [TagView]
    let hasTags: Bool
    let runCount: String
    let created: TimeCell
    let isDeleted: Bool
}

/// A tag shown as `key = value`.
struct TagView: Sendable {
    let key: String
    let value: String
}

/// A filter that did not parse: the message, the input and a caret under the offending character.
struct FilterErrorView: Sendable {
    let what: String
    let message: String
    let input: String
    let caret: String
    let position: Int
}

/// One option of the page-size select.
struct PageSizeChoice: Sendable {
    let value: Int
    let selected: Bool
}

/// The params, metrics or tags of the column chooser.
struct ColumnGroup: Sendable {
    let title: String
    let columns: [ColumnChoice]
    let isEmpty: Bool
}

/// One checkbox of the column chooser.
struct ColumnChoice: Sendable {
    /// `params.lr`, `metrics.acc` or `tags.team`: the value of `cols`.
    let name: String
    let label: String
    let checked: Bool
}

/// A column heading, a sort link when the column can be sorted.
struct HeaderCell: Sendable {
    let label: String
    let group: String?
    let sortURL: String?
    /// `ascending` or `descending` on the column the table is sorted by.
    let ariaSort: String?
    let arrow: String
    let numeric: Bool
}

/// A row of the runs table.
struct RunRow: Sendable {
    let id: String
    let name: String
    let url: String
    let status: String
    let start: TimeCell
    let duration: String
    let cells: [TableCell]
}

/// A value cell; `text` is empty when the run has no value.
struct TableCell: Sendable {
    let text: String
    let numeric: Bool
    let missing: Bool
}

/// A column the runs table shows beyond the fixed ones.
struct RunColumn: Sendable, Hashable {
    enum Kind: String, Sendable {
        case params, metrics, tags
    }

    let kind: Kind
    let key: String

    /// The `cols` value: `params.lr`.
    var name: String { "\(kind.rawValue).\(key)" }

    /// Parses a `cols` value.
    init?(name: String) {
        guard let dot = name.firstIndex(of: ".") else { return nil }
        guard let kind = Kind(rawValue: String(name[..<dot])) else { return nil }
        let key = String(name[name.index(after: dot)...])
        guard !key.isEmpty else { return nil }
        self.kind = kind
        self.key = key
    }

    init(kind: Kind, key: String) {
        self.kind = kind
        self.key = key
    }

    /// The run's value for the column, formatted.
    func cell(of run: Run) -> TableCell {
        switch kind {
        case .params:
            let value = run.params.first { $0.key == key }?.value
            return TableCell(text: value ?? "", numeric: false, missing: value == nil)
        case .metrics:
            let value = run.latestMetrics.first { $0.key == key }?.value
            return TableCell(
                text: value.map { NumberFormatting.significant($0) } ?? "", numeric: true, missing: value == nil)
        case .tags:
            let value = run.tags.first { $0.key == key }?.value
            return TableCell(text: value ?? "", numeric: false, missing: value == nil)
        }
    }
}

/// The calls that log a first run into an empty experiment.
struct EmptyExperimentHint: Sendable {
    /// The native API path that creates a run.
    let createRunPath: String
    let experimentName: String
}
