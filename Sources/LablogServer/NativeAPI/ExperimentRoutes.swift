import Hummingbird
import LablogCore

/// `/api/experiments` and `/api/experiments/{experiment_id}`: list, create, read, update, delete, restore.
struct ExperimentRoutes {
    let store: any TrackingStore

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(Paths.experiments), use: list)
        router.post(RouterPath(Paths.experiments), use: create)
        router.get(RouterPath(Paths.Pattern.experiment), use: show)
        router.put(RouterPath(Paths.Pattern.experiment), use: update)
        router.patch(RouterPath(Paths.Pattern.experiment), use: update)
        router.delete(RouterPath(Paths.Pattern.experiment), use: delete)
        router.post(RouterPath(Paths.Pattern.experimentRestore), use: restore)
    }

    /// `GET /api/experiments?q=&status=&tag=&lifecycle=&sort=&limit=&cursor=`
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryItems(request.uri)
        let (sort, ascending) = try Self.sortOrder(query.value("sort"))
        let statusText = query.value("status")
        var status: ExperimentStatus?
        if let statusText, !statusText.isEmpty {
            guard let parsed = ExperimentStatus(rawValue: statusText.lowercased()) else {
                let allowed = ExperimentStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw LablogError.badRequest("'status' must be one of \(allowed), not '\(statusText)'")
            }
            status = parsed
        }
        let experimentQuery = ExperimentQuery(
            nameContains: query.value("q").flatMap { $0.isEmpty ? nil : $0 }, status: status,
            tags: query.values("tag").filter { !$0.isEmpty }.map(TagFilter.init(parsing:)),
            lifecycle: try query.lifecycle(), sort: sort, ascending: ascending,
            limit: try query.limit(default: 100, maximum: Limits.maxPageSize), cursor: query.cursor)
        let page = try await store.listExperiments(experimentQuery)
        return try PageResponse.make(
            page.items.map(ExperimentResponse.init), nextCursor: page.nextCursor, totalCount: page.totalCount,
            request: request, query: query)
    }

    /// `POST /api/experiments` -> 201 with `Location`.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSONBody(as: CreateExperimentRequest.self, context: context)
        let experiment = try await store.createExperiment(body.experiment)
        return try WireJSON.response(
            ExperimentResponse(experiment), status: .created, headers: [.location: Paths.experiment(experiment.id)])
    }

    /// `GET /api/experiments/{experiment_id}`
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try WireJSON.response(ExperimentResponse(try await store.experiment(id: try context.experimentID())))
    }

    /// `PUT` and `PATCH /api/experiments/{experiment_id}`: both are partial updates, as in the legacy API.
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        let body = try await request.decodeJSONBody(as: UpdateExperimentRequest.self, context: context)
        return try WireJSON.response(ExperimentResponse(try await store.updateExperiment(id: id, body.update)))
    }

    /// `DELETE /api/experiments/{experiment_id}[?permanent=true]` -> 204. Without `permanent` the experiment and
    /// its runs go to the trash; with it they are purged.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        if try QueryItems(request.uri).flag("permanent") {
            try await store.purgeExperiment(id: id)
        } else {
            try await store.deleteExperiments(ids: [id])
        }
        return Response(status: .noContent)
    }

    /// `POST /api/experiments/{experiment_id}/restore` -> the restored experiment.
    @Sendable func restore(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        try await store.restoreExperiments(ids: [id])
        return try WireJSON.response(ExperimentResponse(try await store.experiment(id: id)))
    }

    /// Parses `sort`: `name`, `created_at` or `updated_at`, descending with a `-` prefix; `-created_at` by default.
    static func sortOrder(_ text: String?) throws -> (ExperimentSort, ascending: Bool) {
        guard let text, !text.isEmpty else { return (.createdAt, false) }
        let descending = text.hasPrefix("-")
        let name = descending ? String(text.dropFirst()) : text.hasPrefix("+") ? String(text.dropFirst()) : text
        guard let sort = ExperimentSort(rawValue: name.lowercased()) else {
            let allowed = ExperimentSort.allCases.map(\.rawValue).joined(separator: ", ")
            throw LablogError.badRequest(
                "'sort' must be one of \(allowed), optionally prefixed with '-', not '\(text)'")
        }
        return (sort, !descending)
    }
}
