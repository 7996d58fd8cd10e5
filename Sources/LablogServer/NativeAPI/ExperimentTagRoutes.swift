import Hummingbird
import LablogCore

/// `/api/experiments/{experiment_id}/tags`: the legacy tag endpoints of an experiment.
struct ExperimentTagRoutes {
    let store: any TrackingStore

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(Paths.Pattern.experimentTags), use: list)
        router.post(RouterPath(Paths.Pattern.experimentTags), use: create)
        router.delete(RouterPath(Paths.Pattern.experimentTag), use: delete)
    }

    /// `GET /api/experiments/{experiment_id}/tags` -> `[{"id", "key", "value", "name"}]`.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let experiment = try await store.experiment(id: try context.experimentID())
        return try WireJSON.response(experiment.tags.map { TagResponse($0, includingLegacyName: true) })
    }

    /// `POST /api/experiments/{experiment_id}/tags` with `{"key", "value"}` or `{"name"}` -> 201 with the tag.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        let body = try await request.decodeJSONBody(as: TagInput.self, context: context)
        let tags = try await store.setExperimentTag(experimentIDs: [id], body.tag)
        guard let tag = tags.first else { throw LablogError.notFound(.experiment, String(id)) }
        return try WireJSON.response(
            TagResponse(tag, includingLegacyName: true), status: .created,
            headers: [.location: Paths.experimentTag(id, tagID: tag.id)])
    }

    /// `DELETE /api/experiments/{experiment_id}/tags/{tag_id}` -> 204.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await store.deleteExperimentTag(experimentID: try context.experimentID(), tagID: try context.tagID())
        return Response(status: .noContent)
    }
}
