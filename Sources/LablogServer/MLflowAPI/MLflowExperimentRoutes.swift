import Hummingbird
import LablogCore

/// MLflow's experiment RPCs: create, get, get-by-name, search, update (rename), delete, restore and the tags.
struct MLflowExperimentRoutes {
    let store: any TrackingStore

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post(RouterPath(MLflowPaths.experimentsCreate), use: create)
        for method in [HTTPRequest.Method.get, .post] {
            router.on(RouterPath(MLflowPaths.experimentsGet), method: method, use: get)
            router.on(RouterPath(MLflowPaths.experimentsGetByName), method: method, use: getByName)
            router.on(RouterPath(MLflowPaths.experimentsSearch), method: method, use: search)
        }
        router.post(RouterPath(MLflowPaths.experimentsUpdate), use: rename)
        router.post(RouterPath(MLflowPaths.experimentsDelete), use: delete)
        router.post(RouterPath(MLflowPaths.experimentsRestore), use: restore)
        router.post(RouterPath(MLflowPaths.experimentsSetTag), use: setTag)
        router.post(RouterPath(MLflowPaths.experimentsDeleteTag), use: deleteTag)
    }

    /// `experiments/create` -> `{"experiment_id": "1"}`; a taken name (deleted experiments' included) is
    /// `RESOURCE_ALREADY_EXISTS`, which `set_experiment` relies on when two processes race.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowCreateExperimentRequest.self, from: request, context: context)
        let experiment = try await store.createExperiment(body.experiment)
        return try MLflowJSON.response(["experiment_id": String(experiment.id)])
    }

    /// `experiments/get?experiment_id=` -> `{"experiment": ...}`, active or deleted.
    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowExperimentIDRequest.self, from: request, context: context)
        let experiment = try await store.experiment(id: body.id)
        return try MLflowJSON.response(MLflowExperimentResponse(experiment: MLflowExperiment(experiment)))
    }

    /// `experiments/get-by-name?experiment_name=`: a miss must be 404 `RESOURCE_DOES_NOT_EXIST`, the one answer
    /// `set_experiment` takes as "create it".
    @Sendable func getByName(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowExperimentNameRequest.self, from: request, context: context)
        guard let experiment = try await store.experiment(named: body.name) else {
            throw MLflowError(.resourceDoesNotExist, "Could not find experiment with name '\(body.name)'")
        }
        return try MLflowJSON.response(MLflowExperimentResponse(experiment: MLflowExperiment(experiment)))
    }

    /// `experiments/search` -> `{"experiments": [...], "next_page_token": ...}`, newest first unless ordered.
    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowSearchExperimentsRequest.self, from: request, context: context)
        let filter = try body.filter.flatMap(FilterParser.parseExperimentFilter)
        var orderBy = try OrderByParser.parseExperimentOrderBy(body.orderBy)
        if orderBy.isEmpty {
            // MLflow's default; the store appends its tie-breakers after it.
            orderBy = [OrderKey(field: .experimentAttribute(.creationTime), ascending: false)]
        }
        let page = try await MLflowPaging.collect(maxResults: body.maxResults, pageToken: body.pageToken) {
            limit, cursor in
            try await store.listExperiments(
                ExperimentQuery(
                    lifecycle: body.lifecycle, filter: filter, orderBy: orderBy, limit: limit, cursor: cursor))
        }
        return try MLflowJSON.response(
            MLflowExperimentsPage(experiments: page.items.map(MLflowExperiment.init), nextPageToken: page.nextCursor))
    }

    /// `experiments/update` renames an active experiment -> `{}`.
    @Sendable func rename(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowRenameExperimentRequest.self, from: request, context: context)
        try await requireActive(body.id, "Cannot rename a non-active experiment.")
        _ = try await store.updateExperiment(id: body.id, ExperimentUpdate(name: body.newName))
        return try MLflowJSON.emptyResponse()
    }

    /// `experiments/delete` moves an active experiment and its runs to the trash -> `{}`. Deleting a deleted
    /// experiment is 404, as in MLflow.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowExperimentIDRequest.self, from: request, context: context)
        try await store.deleteExperiments(ids: [body.id], mustBeActive: true)
        return try MLflowJSON.emptyResponse()
    }

    /// `experiments/restore` brings a deleted experiment back with all its runs -> `{}`. Restoring an active one is
    /// 404, as in MLflow.
    @Sendable func restore(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowExperimentIDRequest.self, from: request, context: context)
        try await store.restoreExperiments(ids: [body.id], mustBeDeleted: true)
        return try MLflowJSON.emptyResponse()
    }

    /// `experiments/set-experiment-tag` upserts a tag of an active experiment -> `{}`. Values over 20,000
    /// characters are refused, not truncated, as in MLflow.
    @Sendable func setTag(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowExperimentTagRequest.self, from: request, context: context)
        try await requireActive(body.id, nil)
        try await store.setExperimentTag(experimentIDs: [body.id], body.tag)
        return try MLflowJSON.emptyResponse()
    }

    /// `experiments/delete-experiment-tag` -> `{}`; a missing tag is 404.
    @Sendable func deleteTag(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowExperimentTagRequest.self, from: request, context: context)
        try await requireActive(body.id, nil)
        try await store.deleteExperimentTag(experimentID: body.id, key: body.tag.key)
        return try MLflowJSON.emptyResponse()
    }

    /// Refuses a change to a deleted experiment with 400, MLflow's answer (MLflow's own rename says 500, which its
    /// client would retry for minutes).
    private func requireActive(_ id: ExperimentID, _ message: String?) async throws {
        let experiment = try await store.experiment(id: id)
        guard experiment.lifecycle == .active else {
            throw MLflowError(
                .invalidParameterValue,
                message ?? "The experiment \(id) must be in the 'active' state. Current state is deleted.")
        }
    }
}
