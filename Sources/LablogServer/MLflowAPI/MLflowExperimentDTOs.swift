import LablogCore

/// An experiment in MLflow's shape.
///
/// The id is a string, times are milliseconds, and `tags` is left out when there are none. An experiment created
/// without an artifact location gets the proxied `mlflow-artifacts:/<id>`, so clients send artifacts to the server.
struct MLflowExperiment: Encodable, Equatable {
    var experimentID: String
    var name: String
    var artifactLocation: String
    var lifecycleStage: String
    var lastUpdateTime: Int64
    var creationTime: Int64
    var tags: [MLflowKeyValue]

    /// MLflow keeps an experiment's description in this tag.
    static let descriptionTagKey = "mlflow.note.content"

    enum CodingKeys: String, CodingKey {
        case name, tags
        case experimentID = "experiment_id"
        case artifactLocation = "artifact_location"
        case lifecycleStage = "lifecycle_stage"
        case lastUpdateTime = "last_update_time"
        case creationTime = "creation_time"
    }

    init(_ experiment: Experiment) {
        experimentID = String(experiment.id)
        name = experiment.name
        artifactLocation = experiment.artifactLocation ?? "mlflow-artifacts:/\(experiment.id)"
        lifecycleStage = experiment.lifecycle.rawValue
        lastUpdateTime = experiment.updatedAt
        creationTime = experiment.createdAt
        tags = experiment.tags.map(MLflowKeyValue.init)
        // A description given through the native API shows where MLflow's UI and clients look for it.
        if let description = experiment.description,
            !experiment.tags.contains(where: { $0.key == Self.descriptionTagKey })
        {
            tags.append(MLflowKeyValue(key: Self.descriptionTagKey, value: description))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(experimentID, forKey: .experimentID)
        try container.encode(name, forKey: .name)
        try container.encode(artifactLocation, forKey: .artifactLocation)
        try container.encode(lifecycleStage, forKey: .lifecycleStage)
        try container.encode(lastUpdateTime, forKey: .lastUpdateTime)
        try container.encode(creationTime, forKey: .creationTime)
        if !tags.isEmpty { try container.encode(tags, forKey: .tags) }
    }
}

/// `{"experiment": {...}}`: the answer of get and get-by-name.
struct MLflowExperimentResponse: Encodable {
    var experiment: MLflowExperiment
}

/// `{"experiments": [...], "next_page_token": "..."}`, both left out when empty.
struct MLflowExperimentsPage: Encodable {
    var experiments: [MLflowExperiment]
    var nextPageToken: String?

    enum CodingKeys: String, CodingKey {
        case experiments
        case nextPageToken = "next_page_token"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if !experiments.isEmpty { try container.encode(experiments, forKey: .experiments) }
        try container.encodeIfPresent(nextPageToken, forKey: .nextPageToken)
    }
}

/// The `experiment_id` of a request, which MLflow sends as a string.
enum MLflowExperimentID {
    /// Parses an id; MLflow's SQL store refuses anything but an integer with the same message.
    static func parse(_ text: String) throws -> ExperimentID {
        guard let id = ExperimentID(text) else {
            throw MLflowError(
                .invalidParameterValue, "Invalid experiment ID '\(text)'. Experiment ID must be a valid integer.")
        }
        return id
    }
}

/// `experiments/create`: `{"name", "artifact_location", "tags"}`.
struct MLflowCreateExperimentRequest: MLflowRequest {
    var experiment: NewExperiment

    enum CodingKeys: String, CodingKey {
        case name, tags
        case artifactLocation = "artifact_location"
    }

    /// The longest artifact location MLflow accepts.
    static let maxArtifactLocationLength = 2048

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.mlflowRequiredString(.name)
        var location = try container.mlflowString(.artifactLocation)
        if location?.isEmpty == true { location = nil }
        if let location {
            try Validator.length(location, atMost: Self.maxArtifactLocationLength, field: "artifact_location")
            guard !location.hasPrefix("runs:") else {
                throw MLflowError.invalidParameter("artifact_location", "a 'runs:' URI cannot be an artifact location")
            }
        }
        let tags = try container.mlflowList(MLflowKeyValue.self, .tags).map(\.pair)
        experiment = NewExperiment(name: name, tags: tags, artifactLocation: location)
    }
}

/// `experiments/get`, `delete` and `restore`: `{"experiment_id"}`.
struct MLflowExperimentIDRequest: MLflowRequest {
    var id: ExperimentID

    enum CodingKeys: String, CodingKey {
        case experimentID = "experiment_id"
    }

    static var queryFields: [String] { [CodingKeys.experimentID.rawValue] }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try MLflowExperimentID.parse(try container.mlflowRequiredString(.experimentID))
    }
}

/// `experiments/get-by-name`: `{"experiment_name"}`.
struct MLflowExperimentNameRequest: MLflowRequest {
    var name: String

    enum CodingKeys: String, CodingKey {
        case name = "experiment_name"
    }

    static var queryFields: [String] { [CodingKeys.name.rawValue] }

    init(from decoder: any Decoder) throws {
        name = try decoder.container(keyedBy: CodingKeys.self).mlflowRequiredString(.name)
    }
}

/// `experiments/update`: `{"experiment_id", "new_name"}`.
struct MLflowRenameExperimentRequest: MLflowRequest {
    var id: ExperimentID
    var newName: String

    enum CodingKeys: String, CodingKey {
        case experimentID = "experiment_id"
        case newName = "new_name"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try MLflowExperimentID.parse(try container.mlflowRequiredString(.experimentID))
        newName = try container.mlflowRequiredString(.newName)
    }
}

/// `experiments/set-experiment-tag` and `delete-experiment-tag`: `{"experiment_id", "key", "value"}`.
struct MLflowExperimentTagRequest: MLflowRequest {
    var id: ExperimentID
    var tag: KeyValue

    enum CodingKeys: String, CodingKey {
        case key, value
        case experimentID = "experiment_id"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try MLflowExperimentID.parse(try container.mlflowRequiredString(.experimentID))
        tag = try MLflowKeyValue(from: decoder).pair
    }
}

/// `experiments/search`: `{"max_results", "page_token", "filter", "order_by", "view_type"}`.
struct MLflowSearchExperimentsRequest: MLflowRequest {
    var maxResults: Int
    var pageToken: String?
    var filter: String?
    var orderBy: [String]
    var lifecycle: LifecycleFilter

    enum CodingKeys: String, CodingKey {
        case filter
        case maxResults = "max_results"
        case pageToken = "page_token"
        case orderBy = "order_by"
        case viewType = "view_type"
    }

    static var queryFields: [String] { ["max_results", "page_token", "filter", "order_by", "view_type"] }
    static var repeatedQueryFields: Set<String> { ["order_by"] }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // MLflow's server refuses a missing max_results; its clients always send one, so a page of 1000 is kinder.
        maxResults = try MLflowPaging.maxResults(container, .maxResults, default: 1000, maximum: 50_000)
        pageToken = try container.mlflowString(.pageToken).flatMap { $0.isEmpty ? nil : $0 }
        filter = try container.mlflowString(.filter)
        orderBy = try container.mlflowStrings(.orderBy)
        lifecycle = try container.mlflowEnum(MLflowViewType.self, .viewType)?.lifecycle ?? .active
    }
}
