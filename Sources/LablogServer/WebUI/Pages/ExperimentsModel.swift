import LablogCore

/// One `<option>` of a `<select>`.
struct OptionModel: Sendable {
    let value: String
    let label: String
    let selected: Bool

    /// The options of `choices` (value, label), with `selected` marked.
    static func list(_ choices: [(String, String)], selected: String) -> [OptionModel] {
        choices.map { OptionModel(value: $0.0, label: $0.1, selected: $0.0 == selected) }
    }
}

/// The experiments list: filters, the create form, one page of rows and the pager.
struct ExperimentsPageModel: PageModel {
    static let template = "experiments"

    let layout: LayoutModel
    let heading: String
    let inTrash: Bool
    let query: String
    let tag: String
    let statusOptions: [OptionModel]
    let lifecycleOptions: [OptionModel]
    let sortOptions: [OptionModel]
    let orderOptions: [OptionModel]
    let trashURL: String
    let activeURL: String
    let nameHeader: SortHeader
    let createdHeader: SortHeader
    let rows: [ExperimentRow]
    let isEmpty: Bool
    let pager: PagerModel
    /// This page's URL, so forms come back to it.
    let returnURL: String
    let create: ExperimentFormModel
}

/// A column header that sorts the list: a link to the first page sorted by the column, in the other direction
/// when the list is already sorted by it.
struct SortHeader: Sendable {
    let label: String
    let url: String
    /// `ascending` or `descending` on the column the list is sorted by, for `aria-sort`.
    let ariaSort: String?
    /// An arrow after the label on the sorted column.
    let arrow: String
}

/// The fields of the create and edit forms, as typed, with the validation message of a failed attempt.
struct ExperimentFormModel: Sendable {
    let name: String
    let description: String
    let tags: String
    let statusOptions: [OptionModel]
    let error: String?
    /// Whether the create form starts unfolded (after a failed attempt).
    let open: Bool

    /// An empty create form.
    static let blank = ExperimentFormModel(
        name: "", description: "", tags: "", status: ExperimentStatus.running.rawValue, error: nil)

    init(name: String, description: String, tags: String, status: String, error: String?) {
        self.name = name
        self.description = description
        self.tags = tags
        statusOptions = OptionModel.list(ExperimentStatus.allCases.map { ($0.rawValue, $0.rawValue) }, selected: status)
        self.error = error
        open = error != nil
    }
}

/// One experiment in the list.
struct ExperimentRow: Sendable {
    let id: String
    let name: String
    let url: String
    let editURL: String
    let status: String
    let description: String?
    let tags: [TagChip]
    /// Whether there are tags (the narrow layout shows them under the name).
    let hasTags: Bool
    let runCount: String
    let lastActivity: TimeCell
    let created: TimeCell
    let isDeleted: Bool
    let deleteURL: String
    let restoreURL: String
    let purgeURL: String

    init(_ experiment: Experiment) {
        id = String(experiment.id)
        name = experiment.name
        url = WebPaths.experiment(experiment.id)
        editURL = WebPaths.experimentEdit(experiment.id)
        status = experiment.status.rawValue
        description = experiment.description.flatMap { $0.isEmpty ? nil : $0 }
        tags = experiment.tags.map(TagChip.init)
        hasTags = !tags.isEmpty
        runCount = NumberFormatting.count(experiment.runCount)
        lastActivity = TimeCell(milliseconds: experiment.lastRunAt ?? experiment.updatedAt)
        created = TimeCell(milliseconds: experiment.createdAt)
        isDeleted = experiment.lifecycle == .deleted
        deleteURL = WebPaths.experimentDelete(experiment.id)
        restoreURL = WebPaths.experimentRestore(experiment.id)
        purgeURL = WebPaths.experimentPurge(experiment.id)
    }
}

/// A tag as shown: `key` or `key: value`.
struct TagChip: Sendable {
    let key: String
    let value: String
    let text: String

    init(_ tag: Tag) {
        key = tag.key
        value = tag.value
        text = tag.value.isEmpty ? tag.key : "\(tag.key): \(tag.value)"
    }
}

/// The experiment edit page: rename, describe, set the status, add and remove tags, delete or restore.
struct ExperimentEditPageModel: PageModel {
    static let template = "experiment-edit"

    let layout: LayoutModel
    let name: String
    let experimentURL: String
    let editURL: String
    let tagsURL: String
    let tagDeleteURL: String
    let deleteURL: String
    let restoreURL: String
    let isDeleted: Bool
    let form: ExperimentFormModel
    let tags: [TagChip]
    let newTagKey: String
    let newTagValue: String
    let tagError: String?
    let returnURL: String
}
