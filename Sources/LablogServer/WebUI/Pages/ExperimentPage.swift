import Foundation
import Hummingbird
import LablogCore

/// `/experiments/{experiment_id}`: the experiment's runs table, one page at a time, with the column chooser,
/// sorting, the filter box, selection for compare, and bulk tag, delete and restore (plain forms that post and
/// redirect back, so everything works without JavaScript).
struct ExperimentPage {
    let store: any TrackingStore
    let configuration: ServerConfiguration
    let pages: PageRenderer

    static let path = WebPaths.Pattern.experiment
    static let pageSizes = [25, 50, 100, 250]
    static let defaultPageSize = 50
    /// How many keys of each kind the table shows before the user chooses columns.
    static let defaultColumnsPerKind = 8

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(Self.path), use: show)
        router.post(RouterPath(Self.path + "/runs/tag"), use: tagRuns)
        router.post(RouterPath(Self.path + "/runs/delete"), use: deleteRuns)
        router.post(RouterPath(Self.path + "/runs/restore"), use: restoreRuns)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        let state = RunTableState(QueryItems(request.uri))
        let experiment = try await store.experiment(id: id)
        var filterError: FilterErrorView?
        var filter: FilterExpression?
        var order: [OrderKey] = []
        do {
            filter = try FilterParser.parse(state.filter)
        } catch {
            filterError = Self.errorView(error, what: "Filter")
        }
        if filterError == nil, let orderBy = state.orderBy {
            do {
                order = try OrderByParser.parse([orderBy])
            } catch {
                filterError = Self.errorView(error, what: "Sort order")
            }
        }
        // One column lookup and one search per render keep the page fast however many runs there are.
        let available = try await store.runColumns(experimentIDs: [id])
        var page = Page<Run>(items: [], nextCursor: nil, totalCount: 0)
        if filterError == nil {
            page = try await store.searchRuns(
                RunQuery(
                    experimentIDs: [id], filter: filter, orderBy: order,
                    lifecycle: state.viewingTrash ? .deleted : .active, limit: state.limit, cursor: state.cursor,
                    countTotal: true))
        }
        let builder = ExperimentPageBuilder(
            experiment: experiment, state: state, available: available, order: order.first)
        let model = builder.model(page: page, filterError: filterError, notice: Self.notice(request))
        return try pages.render(model)
    }

    @Sendable func tagRuns(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        let form = try await PageForm.read(request)
        let runs = Self.selectedRuns(form)
        let key = (form.value("tag_key") ?? "").trimmingCharacters(in: .whitespaces)
        guard !runs.isEmpty else { return Self.back(id, form, done: "none") }
        guard !key.isEmpty else { return Self.back(id, form, done: "nokey") }
        let tag = KeyValue(key: key, value: form.value("tag_value") ?? "")
        for run in runs {
            try await store.setRunTag(runID: run, tag)
        }
        return Self.back(id, form, done: "tagged", count: runs.count)
    }

    @Sendable func deleteRuns(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        let form = try await PageForm.read(request)
        let runs = Self.selectedRuns(form)
        guard !runs.isEmpty else { return Self.back(id, form, done: "none") }
        try await store.deleteRuns(ids: runs)
        return Self.back(id, form, done: "deleted", count: runs.count)
    }

    @Sendable func restoreRuns(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        let form = try await PageForm.read(request)
        let runs = Self.selectedRuns(form)
        guard !runs.isEmpty else { return Self.back(id, form, done: "none") }
        try await store.restoreRuns(ids: runs)
        return Self.back(id, form, done: "restored", count: runs.count)
    }

    private static func selectedRuns(_ form: PageForm) -> [RunID] {
        var seen = Set<RunID>()
        return form.values("runs").compactMap(RunID.init).filter { seen.insert($0).inserted }
    }

    /// Redirects to the page the form was on (POST-redirect-GET), with a notice of what happened.
    private static func back(_ id: ExperimentID, _ form: PageForm, done: String, count: Int = 0) -> Response {
        // Only the query comes from the form, so the redirect always stays on this experiment's page.
        let returned = (form.value("return") ?? "").replacingOccurrences(of: "#", with: "%23")
        var notice = PageQuery()
        notice.add("done", done)
        notice.add("n", count > 0 ? String(count) : nil)
        let query = returned.isEmpty ? notice.encoded : returned + "&" + notice.encoded
        return PageForm.redirect(to: WebPaths.experiment(id) + "?" + query)
    }

    private static func notice(_ request: Request) -> String? {
        let query = QueryItems(request.uri)
        let count = Int(query.value("n") ?? "") ?? 0
        let runs = NumberFormatting.runs(count)
        switch query.value("done") {
        case "tagged": return "Tagged \(runs)."
        case "deleted": return "Moved \(runs) to the trash."
        case "restored": return "Restored \(runs)."
        case "none": return "Select at least one run first."
        case "nokey": return "Enter a tag key to tag the selected runs."
        default: return nil
        }
    }

    private static func errorView(_ error: any Error, what: String) -> FilterErrorView {
        let filterError: FilterError
        switch error {
        case let error as FilterError: filterError = error
        case LablogError.invalidFilter(let error): filterError = error
        default: filterError = FilterError(message: "\(error)", position: 0, input: "")
        }
        // Tabs and line breaks would misplace the caret under a one-line copy of the input.
        let input = String(filterError.input.map { $0.isWhitespace ? " " : $0 })
        let position = min(max(0, filterError.position), input.count)
        return FilterErrorView(
            what: what, message: filterError.message, input: input,
            caret: String(repeating: " ", count: position) + "^", position: position)
    }
}

/// The runs table's state as the URL carries it.
struct RunTableState: Sendable {
    let filter: String
    let orderBy: String?
    let viewingTrash: Bool
    let limit: Int
    let cursor: String?
    /// The cursors of the pages before this one (empty for the first page), as ``PagerModel`` carries them.
    let back: [String]
    /// The chosen columns, or nil when the user has not chosen (the defaults apply).
    let columns: [RunColumn]?

    init(_ query: QueryItems) {
        filter = query.value("filter") ?? ""
        orderBy = query.value("order_by").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        viewingTrash = query.value("lifecycle") == "deleted"
        let limit = Int(query.value("limit") ?? "") ?? ExperimentPage.defaultPageSize
        self.limit = ExperimentPage.pageSizes.contains(limit) ? limit : ExperimentPage.defaultPageSize
        cursor = query.cursor
        back = PagerModel.back(query)
        let chosen = query.values("cols")
        columns = chosen.isEmpty && query.value("cols_set") == nil ? nil : chosen.compactMap(RunColumn.init(name:))
    }

    /// The state that survives any link on the page: everything but the position in the pages.
    var query: PageQuery {
        var query = PageQuery()
        query.add("filter", filter)
        query.add("order_by", orderBy)
        query.add("lifecycle", viewingTrash ? "deleted" : nil)
        query.add("limit", limit == ExperimentPage.defaultPageSize ? nil : String(limit))
        query.add(contentsOf: columnQuery)
        return query
    }

    /// The column choice alone.
    var columnQuery: PageQuery {
        var query = PageQuery()
        if let columns {
            query.add("cols_set", "1")
            query.add("cols", each: columns.map(\.name))
        }
        return query
    }

    /// The full state including the page position.
    var queryWithPosition: PageQuery {
        var query = self.query
        query.add("cursor", cursor)
        query.add("back", each: back.map { $0.isEmpty ? "-" : $0 })
        return query
    }
}

extension PageQuery {
    /// Appends every parameter of `other`.
    mutating func add(contentsOf other: PageQuery) {
        for item in other.items { add(item.name, item.value) }
    }
}
