import Hummingbird
import LablogCore

/// `/api/runs/{run_id}/params`: a run's hyperparameters, logged once and immutable afterwards.
struct ParamRoutes {
    let store: any TrackingStore

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post(RouterPath(Paths.Pattern.runParams), use: log)
    }

    /// `POST /api/runs/{run_id}/params` with `{"params": {"lr": "0.01"}}` -> `{"logged": n}`. The same value again
    /// is accepted; a different one is a conflict.
    @Sendable func log(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.runID()
        let body = try await request.decodeJSONBody(as: ParamsRequest.self, context: context)
        try await store.logBatch(runID: id, metrics: [], params: body.params, tags: [])
        return try WireJSON.response(LoggedResult(logged: body.params.count))
    }
}
