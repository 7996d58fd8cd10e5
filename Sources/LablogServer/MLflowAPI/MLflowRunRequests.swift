import LablogCore

extension KeyedDecodingContainer {
    /// The run a request is about: `run_id`, or the legacy `run_uuid` when `run_id` is absent (MLflow's clients send
    /// both, equal).
    ///
    /// An id that is not 32 hexadecimal characters names no run, so it is 404 like an unknown one, as in MLflow.
    func mlflowRunID(_ runID: Key, legacy runUUID: Key?) throws -> RunID {
        var text = try mlflowString(runID) ?? ""
        if text.isEmpty, let runUUID { text = try mlflowString(runUUID) ?? "" }
        guard !text.isEmpty else { throw MLflowError.missingParameter(fieldPath(runID)) }
        guard let id = RunID(text) else { throw LablogError.notFound(.run, text) }
        return id
    }
}

/// The requests that name only a run: runs/get, delete, restore, outputs, log-model.
struct MLflowRunIDRequest: MLflowRequest {
    var runID: RunID

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case runUUID = "run_uuid"
    }

    static var queryFields: [String] { ["run_id", "run_uuid"] }

    init(from decoder: any Decoder) throws {
        runID = try decoder.container(keyedBy: CodingKeys.self).mlflowRunID(.runID, legacy: .runUUID)
    }
}

/// `runs/create`: `{"experiment_id", "user_id", "run_name", "start_time", "tags"}`.
struct MLflowCreateRunRequest: MLflowRequest {
    var run: NewRun

    enum CodingKeys: String, CodingKey {
        case tags
        case experimentID = "experiment_id"
        case userID = "user_id"
        case runName = "run_name"
        case startTime = "start_time"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // MLflow's clients always send an experiment; without one the run goes where `start_run()` puts it.
        let experimentText = try container.mlflowString(.experimentID) ?? ""
        let experimentID = experimentText.isEmpty ? 0 : try MLflowExperimentID.parse(experimentText)
        let tags = try container.mlflowList(MLflowKeyValue.self, .tags).map { MLflowTruncation.runTag($0.pair) }
        var name = try container.mlflowString(.runName)
        if name?.isEmpty == true { name = nil }
        if let name, let tagged = tags.last(where: { $0.key == RunTagKeys.runName })?.value, tagged != name {
            throw MLflowError(
                .invalidParameterValue,
                "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values "
                    + "(run_name='\(name)', mlflow.runName='\(tagged)').")
        }
        let parentText = tags.last { $0.key == RunTagKeys.parentRunID }?.value
        run = NewRun(
            experimentID: experimentID, name: name, startTime: try container.mlflowInt64(.startTime),
            parentRunID: parentText.flatMap(RunID.init), userID: try container.mlflowString(.userID) ?? "",
            tags: tags)
    }
}

/// `runs/update`: `{"run_id", "status", "end_time", "run_name"}`; absent fields stay as they are.
struct MLflowUpdateRunRequest: MLflowRequest {
    var runID: RunID
    var update: RunUpdate

    enum CodingKeys: String, CodingKey {
        case status
        case runID = "run_id"
        case runUUID = "run_uuid"
        case endTime = "end_time"
        case runName = "run_name"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        runID = try container.mlflowRunID(.runID, legacy: .runUUID)
        let name = try container.mlflowString(.runName)
        update = RunUpdate(
            name: name?.isEmpty == true ? nil : name, status: try container.mlflowEnum(RunStatus.self, .status),
            endTime: try container.mlflowInt64(.endTime))
    }
}

/// `runs/search`: `{"experiment_ids", "filter", "run_view_type", "max_results", "order_by", "page_token"}`.
struct MLflowSearchRunsRequest: MLflowRequest {
    var experimentIDs: [ExperimentID]
    var filter: String?
    var lifecycle: LifecycleFilter
    var maxResults: Int
    var orderBy: [String]
    var pageToken: String?

    enum CodingKeys: String, CodingKey {
        case filter
        case experimentIDs = "experiment_ids"
        case runViewType = "run_view_type"
        case maxResults = "max_results"
        case orderBy = "order_by"
        case pageToken = "page_token"
    }

    static var queryFields: [String] {
        ["experiment_ids", "filter", "run_view_type", "max_results", "order_by", "page_token"]
    }
    static var repeatedQueryFields: Set<String> { ["experiment_ids", "order_by"] }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        experimentIDs = try container.mlflowStrings(.experimentIDs).map(MLflowExperimentID.parse)
        filter = try container.mlflowString(.filter)
        lifecycle = try container.mlflowEnum(MLflowViewType.self, .runViewType)?.lifecycle ?? .active
        maxResults = try MLflowPaging.maxResults(container, .maxResults, default: 1000, maximum: 50_000)
        orderBy = try container.mlflowStrings(.orderBy)
        pageToken = try container.mlflowString(.pageToken).flatMap { $0.isEmpty ? nil : $0 }
    }
}
