import Hummingbird
import LablogCore

/// `/api/experiments/bulk/*`: delete, restore and tag many experiments in one request (and one transaction).
struct ExperimentBulkRoutes {
    let store: any TrackingStore

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post(RouterPath(Paths.experimentsBulkDelete), use: delete)
        router.post(RouterPath(Paths.experimentsBulkRestore), use: restore)
        router.post(RouterPath(Paths.experimentsBulkTag), use: tag)
    }

    /// `POST /api/experiments/bulk/delete` with `{"ids": [1, 2]}` -> `{"updated": 2}`.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSONBody(as: ExperimentIDsRequest.self, context: context)
        try await store.deleteExperiments(ids: body.ids)
        return try WireJSON.response(BulkResult(updated: body.ids.count))
    }

    /// `POST /api/experiments/bulk/restore` with `{"ids": [1, 2]}` -> `{"updated": 2}`.
    @Sendable func restore(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSONBody(as: ExperimentIDsRequest.self, context: context)
        try await store.restoreExperiments(ids: body.ids)
        return try WireJSON.response(BulkResult(updated: body.ids.count))
    }

    /// `POST /api/experiments/bulk/tag` with `{"ids": [1, 2], "key": "team", "value": "vision"}` (or the legacy
    /// `"name"`) -> `{"updated": 2}`.
    @Sendable func tag(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSONBody(as: BulkTagRequest.self, context: context)
        let tags = try await store.setExperimentTag(experimentIDs: body.ids, body.tag)
        return try WireJSON.response(BulkResult(updated: tags.count))
    }
}
