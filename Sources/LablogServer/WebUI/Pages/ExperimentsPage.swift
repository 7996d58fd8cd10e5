import Foundation
import Hummingbird
import LablogCore

/// `/` and `/experiments`: the experiments list with its filters, sort, pages and the create form, and the
/// form posts that change experiments (create, edit, tag, delete, restore, purge), each answered by a redirect.
struct ExperimentsPage {
    let store: any TrackingStore
    let pages: PageRenderer

    /// Experiments on one page of the list.
    static let pageSize = 50

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(WebPaths.home), use: list)
        router.get(RouterPath(WebPaths.experiments), use: list)
        router.post(RouterPath(WebPaths.experiments), use: create)
        ExperimentEditPage(store: store, pages: pages).addRoutes(to: router)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(request, create: .blank, status: .ok)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await PageForm.read(request)
        let typed = ExperimentFormModel(
            name: form.value("name") ?? "", description: form.value("description") ?? "",
            tags: form.value("tags") ?? "", status: form.value("status") ?? "", error: nil)
        do {
            guard let name = form.trimmed("name") else {
                throw LablogError.invalidValue(field: "name", reason: "must not be empty")
            }
            let status = try ExperimentStatus(formValue: form.value("status"))
            let tags = (form.value("tags") ?? "").split(whereSeparator: \.isNewline).compactMap { line in
                let text = line.trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : TagFilter(parsing: text)
            }.map { KeyValue(key: $0.key.trimmingCharacters(in: .whitespaces), value: $0.value ?? "") }
            _ = try await store.createExperiment(
                NewExperiment(name: name, description: form.trimmed("description"), status: status, tags: tags))
            return PageForm.redirect(to: form.returnPath(default: WebPaths.experiments))
        } catch let error as LablogError where error.isFormError {
            let failed = ExperimentFormModel(
                name: typed.name, description: typed.description, tags: typed.tags,
                status: form.value("status") ?? "", error: error.message)
            return try await render(request, create: failed, status: .unprocessableContent)
        }
    }

    /// Renders the list for the request's query, with the create form as given.
    private func render(
        _ request: Request, create: ExperimentFormModel, status: HTTPResponse.Status
    ) async throws -> Response {
        let parameters = ListParameters(QueryItems(request.uri))
        let page = try await store.listExperiments(parameters.storeQuery(limit: Self.pageSize))
        let pager = PagerModel(
            path: WebPaths.experiments, query: parameters.linkQuery, cursor: parameters.cursor,
            back: parameters.back, nextCursor: page.nextCursor, totalCount: page.totalCount, noun: "experiments")
        let trash = parameters.with(lifecycle: .deleted)
        let active = parameters.with(lifecycle: .active)
        let model = ExperimentsPageModel(
            layout: Assets.layout(onExperiments: true),
            heading: parameters.lifecycle == .deleted ? "Trash" : "Experiments",
            inTrash: parameters.lifecycle == .deleted,
            query: parameters.nameContains ?? "", tag: parameters.tag ?? "",
            statusOptions: OptionModel.list(
                [("", "Any")] + ExperimentStatus.allCases.map { ($0.rawValue, $0.rawValue) },
                selected: parameters.status?.rawValue ?? ""),
            lifecycleOptions: OptionModel.list(
                [("active", "Active"), ("deleted", "Trash"), ("all", "All")], selected: parameters.lifecycle.rawValue),
            sortOptions: OptionModel.list(
                [("created", "Created"), ("updated", "Updated"), ("name", "Name")], selected: parameters.sortName),
            orderOptions: OptionModel.list(
                [("desc", "Descending"), ("asc", "Ascending")], selected: parameters.ascending ? "asc" : "desc"),
            trashURL: WebPaths.with(WebPaths.experiments, query: trash.linkQuery),
            activeURL: WebPaths.with(WebPaths.experiments, query: active.linkQuery),
            nameHeader: parameters.header("Name", sort: .name),
            createdHeader: parameters.header("Created", sort: .createdAt),
            rows: page.items.map(ExperimentRow.init), isEmpty: page.items.isEmpty, pager: pager,
            returnURL: request.uri.path == WebPaths.home ? WebPaths.home : parameters.currentURL, create: create)
        return try pages.render(model, status: status)
    }
}

/// The list's query parameters: `q`, `status`, `tag`, `lifecycle`, `sort`, `order`, `cursor` and `back`.
/// Unknown values fall back to the defaults rather than failing, since they come from links and forms.
struct ListParameters: Sendable {
    var nameContains: String?
    var status: ExperimentStatus?
    var tag: String?
    var lifecycle: LifecycleFilter
    var sort: ExperimentSort
    var ascending: Bool
    var cursor: String?
    var back: [String]

    init(_ query: QueryItems) {
        func text(_ name: String) -> String? {
            guard let value = query.value(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                return nil
            }
            return value
        }
        nameContains = text("q")
        status = text("status").flatMap(ExperimentStatus.init(rawValue:))
        tag = text("tag")
        lifecycle = text("lifecycle").flatMap(LifecycleFilter.init(rawValue:)) ?? .active
        sort =
            switch text("sort") {
            case "name": .name
            case "updated": .updatedAt
            default: .createdAt
            }
        // Names read best A to Z, dates newest first.
        ascending = text("order").map { $0 == "asc" } ?? (sort == .name)
        cursor = query.cursor
        back = PagerModel.back(query)
    }

    var sortName: String {
        switch sort {
        case .name: "name"
        case .updatedAt: "updated"
        case .createdAt: "created"
        }
    }

    /// The store query of one page.
    func storeQuery(limit: Int) -> ExperimentQuery {
        ExperimentQuery(
            nameContains: nameContains, status: status, tags: tag.map { [TagFilter(parsing: $0)] } ?? [],
            lifecycle: lifecycle, sort: sort, ascending: ascending, limit: limit, cursor: cursor)
    }

    /// The filter and sort parameters, without the page position.
    var linkQuery: [(name: String, value: String?)] {
        [
            ("q", nameContains), ("status", status?.rawValue), ("tag", tag),
            ("lifecycle", lifecycle == .active ? nil : lifecycle.rawValue),
            ("sort", sort == .createdAt ? nil : sortName),
            ("order", ascending == (sort == .name) ? nil : (ascending ? "asc" : "desc")),
        ]
    }

    /// The URL of this very page, position included.
    var currentURL: String {
        WebPaths.with(
            WebPaths.experiments,
            query: linkQuery + [("cursor", cursor)] + back.map { ("back", $0.isEmpty ? "-" : $0) })
    }

    /// The header of a column sorted by `sort`: sorts by it (names A to Z and dates newest first), or reverses
    /// the direction when the list is already sorted by it.
    func header(_ label: String, sort column: ExperimentSort) -> SortHeader {
        var target = with(lifecycle: lifecycle)
        let isCurrent = sort == column
        target.sort = column
        target.ascending = isCurrent ? !ascending : column == .name
        return SortHeader(
            label: label, url: WebPaths.with(WebPaths.experiments, query: target.linkQuery),
            ariaSort: isCurrent ? (ascending ? "ascending" : "descending") : nil,
            arrow: isCurrent ? (ascending ? " ▲" : " ▼") : "")
    }

    /// The first page of the same filters in another lifecycle view.
    func with(lifecycle: LifecycleFilter) -> ListParameters {
        var copy = self
        copy.lifecycle = lifecycle
        copy.cursor = nil
        copy.back = []
        return copy
    }
}

extension ExperimentStatus {
    /// The status chosen in a form; absent means running.
    /// - Throws: ``LablogError/invalidValue(field:reason:)`` for an unknown status.
    init(formValue: String?) throws {
        guard let text = formValue, !text.isEmpty else {
            self = .running
            return
        }
        guard let status = ExperimentStatus(rawValue: text) else {
            let allowed = ExperimentStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw LablogError.invalidValue(field: "status", reason: "must be one of \(allowed)")
        }
        self = status
    }
}

extension LablogError {
    /// Whether the error is a refusal of what was typed into a form, shown next to the form, rather than a
    /// missing page or an outage.
    var isFormError: Bool {
        switch self {
        case .invalidValue, .alreadyExists, .badRequest, .invalidState: true
        default: false
        }
    }
}
