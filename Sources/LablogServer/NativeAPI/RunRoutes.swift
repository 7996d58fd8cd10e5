import Hummingbird
import LablogCore

/// Runs: the list of an experiment, creation, the cross-experiment search, and `/api/runs/{run_id}`.
struct RunRoutes {
    let store: any TrackingStore
    /// The time stamped on legacy metric values, which carry none.
    let now: @Sendable () -> Int64

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(Paths.Pattern.experimentRuns), use: listInExperiment)
        router.post(RouterPath(Paths.Pattern.experimentRuns), use: create)
        router.get(RouterPath(Paths.runs), use: search)
        router.get(RouterPath(Paths.Pattern.run), use: show)
        router.patch(RouterPath(Paths.Pattern.run), use: update)
        router.delete(RouterPath(Paths.Pattern.run), use: delete)
        router.post(RouterPath(Paths.Pattern.runRestore), use: restore)
        router.post(RouterPath(Paths.runsBulkDelete), use: bulkDelete)
        router.post(RouterPath(Paths.runsBulkRestore), use: bulkRestore)
    }

    /// `GET /api/experiments/{experiment_id}/runs?filter=&order_by=&lifecycle=&limit=&cursor=`
    @Sendable func listInExperiment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        let query = QueryItems(request.uri)
        let runQuery = try query.runQuery(experimentIDs: [id])
        // A search of an unknown experiment would answer an empty list; the legacy API answered 404. A page with
        // runs proves the experiment exists, so it is looked up only when the search fails or finds nothing.
        let page: Page<Run>
        do {
            page = try await store.searchRuns(runQuery)
        } catch {
            _ = try await store.experiment(id: id)
            throw error
        }
        if page.items.isEmpty { _ = try await store.experiment(id: id) }
        return try respond(with: page, request: request, query: query)
    }

    /// `GET /api/runs?filter=&order_by=&experiment_ids=&lifecycle=&limit=&cursor=` across experiments.
    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryItems(request.uri)
        let experimentIDs = try query.commaSeparatedValues("experiment_ids").map { text in
            guard let id = ExperimentID(text) else {
                throw LablogError.badRequest("'experiment_ids' must hold integer ids, not '\(text)'")
            }
            return id
        }
        let page = try await store.searchRuns(try query.runQuery(experimentIDs: experimentIDs))
        return try respond(with: page, request: request, query: query)
    }

    private func respond(with page: Page<Run>, request: Request, query: QueryItems) throws -> Response {
        try PageResponse.make(
            page.items.map(RunResponse.init), nextCursor: page.nextCursor, totalCount: page.totalCount,
            request: request, query: query)
    }

    /// `POST /api/experiments/{experiment_id}/runs` with the legacy body -> 201 with `Location` and the run.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        let body = try await request.decodeJSONBody(as: CreateRunRequest.self, context: context)
        let run = try await store.createRun(body.newRun(experimentID: id, now: now()))
        return try WireJSON.response(RunResponse(run), status: .created, headers: [.location: Paths.run(run.id)])
    }

    /// `GET /api/runs/{run_id}`
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try WireJSON.response(RunResponse(try await store.run(id: try context.runID())))
    }

    /// `PATCH /api/runs/{run_id}` with `{"status", "end_time", "name"}`; a terminal status finishes the run.
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.runID()
        let body = try await request.decodeJSONBody(as: UpdateRunRequest.self, context: context)
        return try WireJSON.response(RunResponse(try await store.updateRun(id: id, body.update)))
    }

    /// `DELETE /api/runs/{run_id}` -> 204; the run goes to the trash.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await store.deleteRuns(ids: [try context.runID()])
        return Response(status: .noContent)
    }

    /// `POST /api/runs/{run_id}/restore` -> the restored run.
    @Sendable func restore(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.runID()
        try await store.restoreRuns(ids: [id])
        return try WireJSON.response(RunResponse(try await store.run(id: id)))
    }

    /// `POST /api/runs/bulk/delete` with `{"ids": [...]}` -> `{"updated": n}`.
    @Sendable func bulkDelete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSONBody(as: RunIDsRequest.self, context: context)
        try await store.deleteRuns(ids: body.ids)
        return try WireJSON.response(BulkResult(updated: body.ids.count))
    }

    /// `POST /api/runs/bulk/restore` with `{"ids": [...]}` -> `{"updated": n}`.
    @Sendable func bulkRestore(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSONBody(as: RunIDsRequest.self, context: context)
        try await store.restoreRuns(ids: body.ids)
        return try WireJSON.response(BulkResult(updated: body.ids.count))
    }
}
