import Hummingbird
import LablogCore

/// MLflow's run RPCs: create, get, update, delete, restore and search.
struct MLflowRunRoutes {
    let store: any TrackingStore

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post(RouterPath(MLflowPaths.runsCreate), use: create)
        for method in [HTTPRequest.Method.get, .post] {
            router.on(RouterPath(MLflowPaths.runsGet), method: method, use: get)
            router.on(RouterPath(MLflowPaths.runsSearch), method: method, use: search)
        }
        router.post(RouterPath(MLflowPaths.runsUpdate), use: update)
        router.post(RouterPath(MLflowPaths.runsDelete), use: delete)
        router.post(RouterPath(MLflowPaths.runsRestore), use: restore)
    }

    /// `runs/create` -> `{"run": ...}`. A `mlflow.parentRunId` tag makes the run a child of that run; the store
    /// names the run when neither `run_name` nor a `mlflow.runName` tag does, and keeps the tag equal to the name.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowCreateRunRequest.self, from: request, context: context)
        let run: Run
        do {
            run = try await store.createRun(body.run)
        } catch LablogError.notFound(.run, _) where body.run.parentRunID != nil {
            // In MLflow the parent tag is only a tag: a parent that does not exist here must not refuse the run.
            var orphan = body.run
            orphan.parentRunID = nil
            run = try await store.createRun(orphan)
        }
        return try MLflowJSON.response(MLflowRunResponse(run: MLflowRun(run)))
    }

    /// `runs/get?run_id=` -> `{"run": ...}`, active or deleted.
    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowRunIDRequest.self, from: request, context: context)
        return try MLflowJSON.response(MLflowRunResponse(run: MLflowRun(try await store.run(id: body.runID))))
    }

    /// `runs/update` -> `{"run_info": ...}`. Any status may follow any other; a deleted run is refused with 400.
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowUpdateRunRequest.self, from: request, context: context)
        let run = try await store.updateRun(id: body.runID, body.update)
        return try MLflowJSON.response(MLflowRunInfoResponse(runInfo: MLflowRunInfo(run)))
    }

    /// `runs/delete` -> `{}`; deleting a deleted run is fine.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowRunIDRequest.self, from: request, context: context)
        try await store.deleteRuns(ids: [body.runID])
        return try MLflowJSON.emptyResponse()
    }

    /// `runs/restore` -> `{}`; restoring an active run is fine.
    @Sendable func restore(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowRunIDRequest.self, from: request, context: context)
        try await store.restoreRuns(ids: [body.runID])
        return try MLflowJSON.emptyResponse()
    }

    /// `runs/search` -> `{"runs": [...], "next_page_token": ...}`.
    ///
    /// The filter is Lablog's language (MLflow's grammar plus `OR`, `NOT` and parentheses). No experiment ids means
    /// no runs, as in MLflow, where the store would read it as every experiment.
    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowSearchRunsRequest.self, from: request, context: context)
        let filter = try body.filter.flatMap(FilterParser.parse)
        let orderBy = try OrderByParser.parse(body.orderBy)
        guard !body.experimentIDs.isEmpty else { return try MLflowJSON.emptyResponse() }
        let page = try await MLflowPaging.collect(maxResults: body.maxResults, pageToken: body.pageToken) {
            limit, cursor in
            try await store.searchRuns(
                RunQuery(
                    experimentIDs: body.experimentIDs, filter: filter, orderBy: orderBy, lifecycle: body.lifecycle,
                    limit: limit, cursor: cursor))
        }
        return try MLflowJSON.response(
            MLflowRunsPage(runs: page.items.map(MLflowRun.init), nextPageToken: page.nextCursor))
    }
}
