import Hummingbird
import LablogCore

/// MLflow's logging RPCs: metrics, params, batches, tags and dataset inputs. Each is one store call; a deleted run
/// refuses every write with 400 `INVALID_PARAMETER_VALUE`.
struct MLflowLoggingRoutes {
    let store: any TrackingStore

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post(RouterPath(MLflowPaths.runsLogMetric), use: logMetric)
        router.post(RouterPath(MLflowPaths.runsLogParameter), use: logParameter)
        router.post(RouterPath(MLflowPaths.runsLogBatch), use: logBatch)
        router.post(RouterPath(MLflowPaths.runsSetTag), use: setTag)
        router.post(RouterPath(MLflowPaths.runsDeleteTag), use: deleteTag)
        router.post(RouterPath(MLflowPaths.runsLogInputs), use: logInputs)
        router.post(RouterPath(MLflowPaths.runsOutputs), use: acknowledge)
        router.post(RouterPath(MLflowPaths.runsLogModel), use: acknowledge)
    }

    /// `runs/log-metric` -> `{}`. A point already stored is stored once.
    @Sendable func logMetric(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(
            MLflowLogMetricRequest.self, from: request, context: context, fastPath: MLflowLogBatchParser.logMetric)
        try await store.logBatch(runID: body.runID, metrics: [body.point], params: [], tags: [])
        return try MLflowJSON.emptyResponse()
    }

    /// `runs/log-parameter` -> `{}`. The same value again is fine, a different one is 400; values over 6000
    /// characters are truncated.
    @Sendable func logParameter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowRunKeyValueRequest.self, from: request, context: context)
        try await store.logBatch(runID: body.runID, metrics: [], params: [MLflowTruncation.param(body.pair)], tags: [])
        return try MLflowJSON.emptyResponse()
    }

    /// `runs/log-batch` -> `{}`, all or nothing.
    @Sendable func logBatch(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(
            MLflowLogBatchRequest.self, from: request, context: context, fastPath: MLflowLogBatchParser.logBatch)
        try await store.logBatch(runID: body.runID, metrics: body.metrics, params: body.params, tags: body.tags)
        return try MLflowJSON.emptyResponse()
    }

    /// `runs/set-tag` -> `{}`: an upsert; `mlflow.runName` renames the run. Values over 8000 characters are truncated.
    @Sendable func setTag(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowRunKeyValueRequest.self, from: request, context: context)
        try await store.setRunTag(runID: body.runID, MLflowTruncation.runTag(body.pair))
        return try MLflowJSON.emptyResponse()
    }

    /// `runs/delete-tag` -> `{}`; a missing tag is 404.
    @Sendable func deleteTag(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowDeleteTagRequest.self, from: request, context: context)
        try await store.deleteRunTag(runID: body.runID, key: body.key)
        return try MLflowJSON.emptyResponse()
    }

    /// `runs/log-inputs` -> `{}`. Datasets are shared per experiment by (name, digest); a repeat is a no-op.
    @Sendable func logInputs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowLogInputsRequest.self, from: request, context: context)
        try await store.logInputs(runID: body.runID, body.inputs)
        return try MLflowJSON.emptyResponse()
    }

    /// `runs/outputs` and the legacy `runs/log-model` -> `{}` for an existing run. Lablog does not record logged
    /// models; MLflow's clients only need the call to succeed.
    @Sendable func acknowledge(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await MLflowJSON.decode(MLflowRunIDRequest.self, from: request, context: context)
        _ = try await store.run(id: body.runID)
        return try MLflowJSON.emptyResponse()
    }
}
