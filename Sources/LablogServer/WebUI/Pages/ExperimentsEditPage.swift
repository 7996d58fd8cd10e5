import Foundation
import Hummingbird
import LablogCore

/// `/experiments/{experiment_id}/edit` and the experiment's form posts: rename, describe and set the status, add
/// and remove tags, move to the trash, restore, and delete for good. Successful posts redirect (303); refused
/// input re-renders the edit page with the message.
struct ExperimentEditPage {
    let store: any TrackingStore
    let pages: PageRenderer

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(WebPaths.Pattern.experimentEdit), use: show)
        router.post(RouterPath(WebPaths.Pattern.experimentEdit), use: save)
        router.post(RouterPath(WebPaths.Pattern.experimentTags), use: addTag)
        router.post(RouterPath(WebPaths.Pattern.experimentTagDelete), use: removeTag)
        router.post(RouterPath(WebPaths.Pattern.experimentDelete), use: delete)
        router.post(RouterPath(WebPaths.Pattern.experimentRestore), use: restore)
        router.post(RouterPath(WebPaths.Pattern.experimentPurge), use: purge)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let experiment = try await store.experiment(id: try context.experimentID())
        return try render(experiment, form: nil, tag: nil, status: .ok)
    }

    @Sendable func save(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        let experiment = try await store.experiment(id: id)
        let form = try await PageForm.read(request)
        let typed = ExperimentFormModel(
            name: form.value("name") ?? "", description: form.value("description") ?? "", tags: "",
            status: form.value("status") ?? experiment.status.rawValue, error: nil)
        do {
            guard let name = form.trimmed("name") else {
                throw LablogError.invalidValue(field: "name", reason: "must not be empty")
            }
            let update = ExperimentUpdate(
                name: name, description: .some(form.trimmed("description")),
                status: try ExperimentStatus(formValue: form.value("status")))
            _ = try await store.updateExperiment(id: id, update)
            return PageForm.redirect(to: WebPaths.experimentEdit(id))
        } catch let error as LablogError where error.isFormError {
            let failed = ExperimentFormModel(
                name: typed.name, description: typed.description, tags: "", status: form.value("status") ?? "",
                error: error.message)
            return try render(experiment, form: failed, tag: nil, status: .unprocessableContent)
        }
    }

    @Sendable func addTag(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        let experiment = try await store.experiment(id: id)
        let form = try await PageForm.read(request)
        let key = form.trimmed("key") ?? ""
        let value = form.value("value")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        do {
            guard !key.isEmpty else { throw LablogError.invalidValue(field: "key", reason: "must not be empty") }
            try await store.setExperimentTag(experimentIDs: [id], KeyValue(key: key, value: value))
            return PageForm.redirect(to: WebPaths.experimentEdit(id))
        } catch let error as LablogError where error.isFormError {
            let tag = TagAttempt(key: key, value: value, error: error.message)
            return try render(experiment, form: nil, tag: tag, status: .unprocessableContent)
        }
    }

    @Sendable func removeTag(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        let form = try await PageForm.read(request)
        if let key = form.value("key") {
            try await store.deleteExperimentTag(experimentID: id, key: key)
        }
        return PageForm.redirect(to: WebPaths.experimentEdit(id))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        let form = try await PageForm.read(request)
        // Already in the trash is the state asked for: a double submit is not an error.
        try await store.deleteExperiments(ids: [id], mustBeActive: false)
        return PageForm.redirect(to: form.returnPath(default: WebPaths.experiments))
    }

    @Sendable func restore(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        let form = try await PageForm.read(request)
        try await store.restoreExperiments(ids: [id], mustBeDeleted: false)
        return PageForm.redirect(to: form.returnPath(default: WebPaths.experiments))
    }

    /// Deletes a trashed experiment for good. Only experiments already in the trash, and only with the
    /// confirmation field the trash view's second step sends, so one stray click cannot destroy data.
    @Sendable func purge(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        let experiment = try await store.experiment(id: id)
        let form = try await PageForm.read(request)
        guard experiment.lifecycle == .deleted else {
            throw LablogError.invalidState("Only experiments in the trash can be deleted for good")
        }
        guard form.value("confirm") == "yes" else {
            throw LablogError.badRequest("Deleting for good needs the confirmation step")
        }
        try await store.purgeExperiment(id: id)
        let trash = WebPaths.with(WebPaths.experiments, query: [("lifecycle", "deleted")])
        return PageForm.redirect(to: form.returnPath(default: trash))
    }

    /// A tag the form tried to add, with why it was refused.
    private struct TagAttempt {
        let key: String
        let value: String
        let error: String
    }

    private func render(
        _ experiment: Experiment, form: ExperimentFormModel?, tag: TagAttempt?, status: HTTPResponse.Status
    ) throws -> Response {
        let id = experiment.id
        let model = ExperimentEditPageModel(
            layout: Assets.layout(onExperiments: true), name: experiment.name,
            experimentURL: WebPaths.experiment(id), editURL: WebPaths.experimentEdit(id),
            tagsURL: WebPaths.experimentTags(id), tagDeleteURL: WebPaths.experimentTagDelete(id),
            deleteURL: WebPaths.experimentDelete(id), restoreURL: WebPaths.experimentRestore(id),
            isDeleted: experiment.lifecycle == .deleted,
            form: form
                ?? ExperimentFormModel(
                    name: experiment.name, description: experiment.description ?? "", tags: "",
                    status: experiment.status.rawValue, error: nil),
            tags: experiment.tags.map(TagChip.init), newTagKey: tag?.key ?? "", newTagValue: tag?.value ?? "",
            tagError: tag?.error, returnURL: WebPaths.experimentEdit(id))
        return try pages.render(model, status: status)
    }
}
