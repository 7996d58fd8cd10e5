import LablogCore

/// `runs/log-metric`: `{"run_id", "key", "value", "timestamp", "step"}`.
struct MLflowLogMetricRequest: MLflowRequest {
    var runID: RunID
    var point: MetricPoint

    enum CodingKeys: String, CodingKey {
        case key, value, timestamp, step
        case runID = "run_id"
        case runUUID = "run_uuid"
    }

    init(runID: RunID, point: MetricPoint) {
        self.runID = runID
        self.point = point
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        runID = try container.mlflowRunID(.runID, legacy: .runUUID)
        point = try MLflowMetricInput.point(
            from: container, key: .key, value: .value, timestamp: .timestamp, step: .step)
    }
}

/// `runs/log-parameter` and `runs/set-tag`: `{"run_id", "key", "value"}`; a missing value is "".
struct MLflowRunKeyValueRequest: MLflowRequest {
    var runID: RunID
    var pair: KeyValue

    enum CodingKeys: String, CodingKey {
        case key, value
        case runID = "run_id"
        case runUUID = "run_uuid"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        runID = try container.mlflowRunID(.runID, legacy: .runUUID)
        pair = try MLflowKeyValue(from: decoder).pair
    }
}

/// `runs/log-batch`: `{"run_id", "metrics", "params", "tags"}` within MLflow's limits.
struct MLflowLogBatchRequest: MLflowRequest {
    var runID: RunID
    var metrics: [MetricPoint]
    var params: [KeyValue]
    var tags: [KeyValue]

    /// MLflow's limits on one batch.
    static let maxMetrics = 1000
    static let maxParams = 100
    static let maxTags = 100
    static let maxEntries = 1000

    enum CodingKeys: String, CodingKey {
        case metrics, params, tags
        case runID = "run_id"
    }

    /// A batch as read from the wire: truncates over-long values and checks MLflow's limits.
    init(runID: RunID, metrics: [MetricPoint], params: [KeyValue], tags: [KeyValue]) throws {
        self.runID = runID
        self.metrics = metrics
        self.params = params.map(MLflowTruncation.param)
        self.tags = tags.map(MLflowTruncation.runTag)
        try checkLimits()
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            runID: try container.mlflowRunID(.runID, legacy: nil),
            metrics: try container.mlflowList(MLflowMetricInput.self, .metrics).map(\.point),
            params: try container.mlflowList(MLflowKeyValue.self, .params).map(\.pair),
            tags: try container.mlflowList(MLflowKeyValue.self, .tags).map(\.pair))
    }

    /// MLflow's batch rules: the size limits, and no param key twice even with the same value.
    private func checkLimits() throws {
        for (count, limit, what) in [
            (metrics.count, Self.maxMetrics, "metrics"), (params.count, Self.maxParams, "params"),
            (tags.count, Self.maxTags, "tags"),
        ] where count > limit {
            throw MLflowError(
                .invalidParameterValue,
                "A batch logging request can contain at most \(limit) \(what). Got \(count) \(what). Please split up "
                    + "\(what) across multiple requests and try again.")
        }
        let total = metrics.count + params.count + tags.count
        if total > Self.maxEntries {
            throw MLflowError(
                .invalidParameterValue,
                "A batch logging request can contain at most \(Self.maxEntries) metrics, params, and tags in total. "
                    + "Got \(total) total entries. Please split up entries across multiple requests and try again.")
        }
        var seen: Set<String> = []
        var duplicates: [String] = []
        for param in params where !seen.insert(param.key).inserted && !duplicates.contains(param.key) {
            duplicates.append(param.key)
        }
        if !duplicates.isEmpty {
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            throw MLflowError(
                .invalidParameterValue,
                "Duplicate parameter keys have been submitted: [\(keys)]. Please ensure the request contains only one "
                    + "param value per param key.")
        }
    }
}

/// `runs/delete-tag`: `{"run_id", "key"}`.
struct MLflowDeleteTagRequest: MLflowRequest {
    var runID: RunID
    var key: String

    enum CodingKeys: String, CodingKey {
        case key
        case runID = "run_id"
        case runUUID = "run_uuid"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        runID = try container.mlflowRunID(.runID, legacy: .runUUID)
        key = try container.mlflowRequiredString(.key)
    }
}

/// `runs/log-inputs`: `{"run_id", "datasets": [{"tags", "dataset"}], "models"}`; model inputs are not recorded.
struct MLflowLogInputsRequest: MLflowRequest {
    var runID: RunID
    var inputs: [DatasetInput]

    enum CodingKeys: String, CodingKey {
        case datasets
        case runID = "run_id"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        runID = try container.mlflowRunID(.runID, legacy: nil)
        inputs = try container.mlflowList(DatasetInputRequest.self, .datasets).map(\.input)
    }

    /// One `{"tags": [...], "dataset": {...}}`; the context travels as the input tag `mlflow.data.context`.
    struct DatasetInputRequest: Decodable {
        var input: DatasetInput

        enum CodingKeys: String, CodingKey {
            case tags, dataset
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            guard try container.isPresent(.dataset) else {
                throw MLflowError.missingParameter(container.fieldPath(.dataset))
            }
            let dataset = try container.decode(MLflowDataset.self, forKey: .dataset).dataset
            input = DatasetInput(
                dataset: dataset, tags: try container.mlflowList(MLflowKeyValue.self, .tags).map(\.pair))
        }
    }
}
