import LablogCore

/// Every page URL: the one place links between pages are built, and the router patterns they match.
///
/// Query values are percent-encoded (a space as `%20`, a plus as `%2B`), so the form decoding of ``QueryItems``
/// reads them back unchanged.
enum WebPaths {
    static let home = "/"
    static let experiments = "/experiments"
    static let dashboard = "/dashboard"
    static let compareAcross = "/compare"

    /// Router patterns of the pages with ids.
    enum Pattern {
        static let experiment = "/experiments/{experiment_id}"
        static let experimentEdit = "/experiments/{experiment_id}/edit"
        static let experimentTags = "/experiments/{experiment_id}/tags"
        static let experimentTagDelete = "/experiments/{experiment_id}/tags/delete"
        static let experimentDelete = "/experiments/{experiment_id}/delete"
        static let experimentRestore = "/experiments/{experiment_id}/restore"
        static let experimentPurge = "/experiments/{experiment_id}/purge"
        static let experimentCompare = "/experiments/{experiment_id}/compare"
        static let run = "/runs/{run_id}"
    }

    /// The experiment page (its runs table).
    static func experiment(_ id: ExperimentID) -> String { "/experiments/\(id)" }
    /// The form that renames and describes an experiment (GET shows it, POST saves it).
    static func experimentEdit(_ id: ExperimentID) -> String { "/experiments/\(id)/edit" }
    /// Adds a tag to an experiment (POST `key`, `value`).
    static func experimentTags(_ id: ExperimentID) -> String { "/experiments/\(id)/tags" }
    /// Removes a tag from an experiment (POST `key`).
    static func experimentTagDelete(_ id: ExperimentID) -> String { "/experiments/\(id)/tags/delete" }
    /// Moves an experiment to the trash (POST).
    static func experimentDelete(_ id: ExperimentID) -> String { "/experiments/\(id)/delete" }
    /// Restores an experiment from the trash (POST).
    static func experimentRestore(_ id: ExperimentID) -> String { "/experiments/\(id)/restore" }
    /// Deletes a trashed experiment for good (POST).
    static func experimentPurge(_ id: ExperimentID) -> String { "/experiments/\(id)/purge" }

    /// The compare page of runs in one experiment: `/experiments/{id}/compare?runs=a,b`.
    static func compare(experimentID: ExperimentID, runs: [RunID]) -> String {
        "/experiments/\(experimentID)/compare?runs=" + runs.map(\.rawValue).joined(separator: ",")
    }

    /// The compare page of runs from any experiments: `/compare?runs=a,b`.
    static func compare(runs: [RunID]) -> String {
        compareAcross + "?runs=" + runs.map(\.rawValue).joined(separator: ",")
    }

    /// The run page.
    static func run(_ id: RunID) -> String { "/runs/\(id.rawValue)" }

    /// `path` with the query parameters, in order, skipping nil and empty values.
    static func with(_ path: String, query: [(name: String, value: String?)]) -> String {
        let pairs = query.compactMap { item -> String? in
            guard let value = item.value, !value.isEmpty else { return nil }
            return Paths.percentEncode(item.name) + "=" + Paths.percentEncode(value)
        }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }
}
