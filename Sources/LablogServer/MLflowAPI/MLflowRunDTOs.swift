import LablogCore

/// A run in MLflow's shape: `{"info", "data", "inputs", "outputs"}`.
///
/// Empty lists are left out (`"data": {}` for a fresh run), as MLflow's protobuf JSON does.
struct MLflowRun: Encodable {
    var info: MLflowRunInfo
    var data: RunData
    var inputs: Inputs
    /// Lablog records no logged-model outputs; MLflow's clients read an empty `outputs` as none.
    var outputs = MLflowEmptyObject()

    init(_ run: Run) {
        info = MLflowRunInfo(run)
        var tags = run.tags.map(MLflowKeyValue.init)
        // A run made a child through the native API has no parent tag; MLflow's clients look for one.
        if let parent = run.parentRunID, !run.tags.contains(where: { $0.key == RunTagKeys.parentRunID }) {
            tags.append(MLflowKeyValue(key: RunTagKeys.parentRunID, value: parent.rawValue))
        }
        data = RunData(
            metrics: run.latestMetrics.map { MLflowMetric($0) }, params: run.params.map(MLflowKeyValue.init),
            tags: tags)
        inputs = Inputs(datasetInputs: run.inputs.map(DatasetInputJSON.init))
    }

    /// Latest metrics, params and tags.
    struct RunData: Encodable {
        var metrics: [MLflowMetric]
        var params: [MLflowKeyValue]
        var tags: [MLflowKeyValue]

        enum CodingKeys: String, CodingKey {
            case metrics, params, tags
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            if !metrics.isEmpty { try container.encode(metrics, forKey: .metrics) }
            if !params.isEmpty { try container.encode(params, forKey: .params) }
            if !tags.isEmpty { try container.encode(tags, forKey: .tags) }
        }
    }

    /// The datasets the run read.
    struct Inputs: Encodable {
        var datasetInputs: [DatasetInputJSON]

        enum CodingKeys: String, CodingKey {
            case datasetInputs = "dataset_inputs"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            if !datasetInputs.isEmpty { try container.encode(datasetInputs, forKey: .datasetInputs) }
        }
    }

    /// `{"tags": [...], "dataset": {...}}`.
    struct DatasetInputJSON: Encodable {
        var input: DatasetInput

        init(_ input: DatasetInput) { self.input = input }

        enum CodingKeys: String, CodingKey {
            case tags, dataset
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            if !input.tags.isEmpty { try container.encode(input.tags.map(MLflowKeyValue.init), forKey: .tags) }
            try container.encode(MLflowDataset(input.dataset), forKey: .dataset)
        }
    }
}

/// A dataset: `{"name", "digest", "source_type", "source", "schema"?, "profile"?}`.
struct MLflowDataset: Codable {
    var name: String
    var digest: String
    var sourceType: String
    var source: String
    var schema: String?
    var profile: String?

    enum CodingKeys: String, CodingKey {
        case name, digest, source, schema, profile
        case sourceType = "source_type"
    }

    init(_ dataset: Dataset) {
        name = dataset.name
        digest = dataset.digest
        sourceType = dataset.sourceType
        source = dataset.source
        schema = dataset.schema
        profile = dataset.profile
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.mlflowRequiredString(.name)
        digest = try container.mlflowRequiredString(.digest)
        sourceType = try container.mlflowRequiredString(.sourceType)
        source = try container.mlflowRequiredString(.source)
        schema = try container.mlflowString(.schema)
        profile = try container.mlflowString(.profile)
    }

    /// The Core value.
    var dataset: Dataset {
        Dataset(name: name, digest: digest, sourceType: sourceType, source: source, schema: schema, profile: profile)
    }
}

/// A run's attributes: `run_id` (the one clients read) and its deprecated twin `run_uuid`, the experiment id as a
/// string, times in milliseconds, `end_time` left out until the run ends.
struct MLflowRunInfo: Encodable {
    var run: Run

    init(_ run: Run) { self.run = run }

    enum CodingKeys: String, CodingKey {
        case status
        case runID = "run_id"
        case runUUID = "run_uuid"
        case runName = "run_name"
        case experimentID = "experiment_id"
        case userID = "user_id"
        case startTime = "start_time"
        case endTime = "end_time"
        case artifactURI = "artifact_uri"
        case lifecycleStage = "lifecycle_stage"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(run.id.rawValue, forKey: .runID)
        try container.encode(run.id.rawValue, forKey: .runUUID)
        try container.encode(run.name, forKey: .runName)
        try container.encode(String(run.experimentID), forKey: .experimentID)
        try container.encode(run.userID, forKey: .userID)
        try container.encode(run.status.rawValue, forKey: .status)
        try container.encode(run.startTime, forKey: .startTime)
        try container.encodeIfPresent(run.endTime, forKey: .endTime)
        try container.encode(run.artifactURI, forKey: .artifactURI)
        try container.encode(run.lifecycle.rawValue, forKey: .lifecycleStage)
    }
}

/// `{"run": {...}}`: the answer of runs/create and runs/get.
struct MLflowRunResponse: Encodable {
    var run: MLflowRun
}

/// `{"run_info": {...}}`: the answer of runs/update.
struct MLflowRunInfoResponse: Encodable {
    var runInfo: MLflowRunInfo

    enum CodingKeys: String, CodingKey {
        case runInfo = "run_info"
    }
}

/// `{"runs": [...], "next_page_token": "..."}`, both left out when empty.
struct MLflowRunsPage: Encodable {
    var runs: [MLflowRun]
    var nextPageToken: String?

    enum CodingKeys: String, CodingKey {
        case runs
        case nextPageToken = "next_page_token"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if !runs.isEmpty { try container.encode(runs, forKey: .runs) }
        try container.encodeIfPresent(nextPageToken, forKey: .nextPageToken)
    }
}
