import LablogCore

/// What the run page renders; every string is plain text that the template escapes, except the chart SVG, which
/// ``LineChart`` builds with every user string escaped.
struct RunPageModel: PageModel {
    static let template = "run"

    let layout: LayoutModel
    let chartScriptURL: String
    let runID: String
    let name: String
    let status: String
    let duration: String
    let start: TimeCell
    let end: [TimeCell]
    let experimentName: String
    let experimentURL: String
    let userID: String
    let hasUser: Bool
    let isDeleted: Bool
    let parent: [RunLinkView]
    let children: [RunLinkView]
    let hasChildren: Bool
    let moreChildren: Bool
    let params: [KeyValueView]
    let hasParams: Bool
    let tags: [KeyValueView]
    let hasTags: Bool
    let tagFormURL: String
    let tagDeleteURL: String
    let metrics: [MetricRowView]
    let hasMetrics: Bool
    let controls: ChartControlsView
    let charts: [ChartView]
    let lazyCharts: [ChartView]
    let hasLazyCharts: Bool
    let lazyChartCount: String
    let allChartsURL: String
    /// The JSON URL the page polls while the run is running; empty when it has ended.
    let liveURL: String
    let isLive: Bool
    let artifacts: ArtifactSectionView
}

/// A link to a run.
struct RunLinkView: Sendable {
    let name: String
    let url: String
    let status: String
}

/// A param or tag row.
struct KeyValueView: Sendable {
    let key: String
    let value: String
}

/// A row of the latest metrics table.
struct MetricRowView: Sendable {
    let key: String
    let value: String
    let step: String
    let time: TimeCell
}

/// One metric chart: inline SVG, or a placeholder the script (or a link) loads.
struct ChartView: Sendable {
    let key: String
    let svg: String
    let url: String
}

/// The chart controls, as plain GET form fields.
struct ChartControlsView: Sendable {
    struct Option: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    let axes: [Option]
    let scales: [Option]
    let smoothing: String
    /// The artifact path being browsed, kept when the controls reload the page.
    let path: String
    let hasPath: Bool
}

/// The artifact section: a message, or a folder listing with an optional preview.
struct ArtifactSectionView: Sendable {
    var message: String
    var hasMessage: Bool
    var crumbs: [ArtifactEntryView]
    var entries: [ArtifactEntryView]
    var hasEntries: Bool
    var preview: [ArtifactPreviewView]

    static func message(_ text: String) -> ArtifactSectionView {
        ArtifactSectionView(message: text, hasMessage: true, crumbs: [], entries: [], hasEntries: false, preview: [])
    }
}

/// A file or folder of a listing, or a crumb of the folder path.
struct ArtifactEntryView: Sendable {
    let name: String
    let isDirectory: Bool
    let size: String
    let browseURL: String
    let downloadURL: String

    static func crumb(name: String, path: String, runID: RunID) -> ArtifactEntryView {
        ArtifactEntryView(
            name: name, isDirectory: true, size: "",
            browseURL: WebPaths.with(WebPaths.run(runID), query: [("path", path)]) + "#artifacts", downloadURL: "")
    }
}

/// The preview of one file.
struct ArtifactPreviewView: Sendable {
    let name: String
    let size: String
    let downloadURL: String
    var isImage = false
    var isText = false
    var isTable = false
    var text = ""
    var header: [CellView] = []
    var rows: [RowView] = []
    var truncated = false
    var note = "" {
        didSet { hasNote = !note.isEmpty }
    }
    var hasNote = false
}

/// A table cell of a CSV preview.
struct CellView: Sendable {
    let text: String
}

/// A table row of a CSV preview.
struct RowView: Sendable {
    let cells: [CellView]
}
