import Hummingbird
import LablogCore

/// `/api/runs/{run_id}/tags`: the tag endpoints of a run, with the same shapes as an experiment's.
struct RunTagRoutes {
    let store: any TrackingStore

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(Paths.Pattern.runTags), use: list)
        router.post(RouterPath(Paths.Pattern.runTags), use: create)
        router.delete(RouterPath(Paths.Pattern.runTag), use: delete)
    }

    /// `GET /api/runs/{run_id}/tags` -> `[{"id", "key", "value", "name"}]`.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let run = try await store.run(id: try context.runID())
        return try WireJSON.response(run.tags.nativeRunTags.map { TagResponse($0, includingLegacyName: true) })
    }

    /// `POST /api/runs/{run_id}/tags` with `{"key", "value"}` or `{"name"}` -> 201 with the tag.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.runID()
        let body = try await request.decodeJSONBody(as: TagInput.self, context: context)
        let tag = try await store.setRunTag(runID: id, body.tag)
        return try WireJSON.response(
            TagResponse(tag, includingLegacyName: true), status: .created,
            headers: [.location: Paths.runTag(id, tagID: tag.id)])
    }

    /// `DELETE /api/runs/{run_id}/tags/{tag_id}` -> 204.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await store.deleteRunTag(runID: try context.runID(), tagID: try context.tagID())
        return Response(status: .noContent)
    }
}
