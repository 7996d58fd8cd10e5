import LablogCore

/// `metrics/get-history`: `{"run_id", "metric_key", "max_results", "page_token"}`.
struct MLflowMetricHistoryRequest: MLflowRequest {
    var runID: RunID
    var key: String
    /// Nil when absent: the whole history, in the store's largest pages.
    var maxResults: Int?
    var pageToken: String?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case runUUID = "run_uuid"
        case metricKey = "metric_key"
        case maxResults = "max_results"
        case pageToken = "page_token"
    }

    static var queryFields: [String] { ["run_id", "run_uuid", "metric_key", "max_results", "page_token"] }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        runID = try container.mlflowRunID(.runID, legacy: .runUUID)
        key = try container.mlflowRequiredString(.metricKey)
        if try container.isPresent(.maxResults) {
            maxResults = try MLflowPaging.maxResults(container, .maxResults, default: 0, maximum: Int(Int32.max))
        }
        pageToken = try container.mlflowString(.pageToken).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// `metrics/get-history-bulk-interval`: `{"run_ids", "metric_key", "start_step", "end_step", "max_results"}`.
struct MLflowBulkIntervalRequest: MLflowRequest {
    var runIDs: [RunID]
    var key: String
    var startStep: Int64?
    var endStep: Int64?
    var maxResults: Int

    /// MLflow's limits: runs per request, and points per run.
    static let maxRuns = 100
    static let maxPointsPerRun = 2500

    enum CodingKeys: String, CodingKey {
        case runIDs = "run_ids"
        case metricKey = "metric_key"
        case startStep = "start_step"
        case endStep = "end_step"
        case maxResults = "max_results"
    }

    static var queryFields: [String] { ["run_ids", "metric_key", "start_step", "end_step", "max_results"] }
    static var repeatedQueryFields: Set<String> { ["run_ids"] }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let texts = try container.mlflowStrings(.runIDs)
        guard !texts.isEmpty else { throw MLflowError.missingParameter("run_ids") }
        guard texts.count <= Self.maxRuns else {
            throw MLflowError(
                .invalidParameterValue,
                "GetMetricHistoryBulkInterval request must specify at most \(Self.maxRuns) "
                    + "run_ids. Received \(texts.count) run_ids.")
        }
        runIDs = try texts.map { text in
            guard let id = RunID(text) else { throw LablogError.notFound(.run, text) }
            return id
        }
        key = try container.mlflowRequiredString(.metricKey)
        startStep = try container.mlflowInt64(.startStep)
        endStep = try container.mlflowInt64(.endStep)
        if (startStep == nil) != (endStep == nil) {
            throw MLflowError(
                .invalidParameterValue, "If either start step or end step are specified, both must be specified.")
        }
        if let startStep, let endStep, startStep > endStep {
            throw MLflowError(.invalidParameterValue, "end_step must be greater than start_step.")
        }
        maxResults = try MLflowPaging.maxResults(
            container, .maxResults, default: Self.maxPointsPerRun, maximum: Self.maxPointsPerRun)
    }
}

/// `{"metrics": [...], "next_page_token": "..."}`, both left out when empty.
struct MLflowMetricsPage: Encodable {
    var metrics: [MLflowMetric]
    var nextPageToken: String?

    enum CodingKeys: String, CodingKey {
        case metrics
        case nextPageToken = "next_page_token"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if !metrics.isEmpty { try container.encode(metrics, forKey: .metrics) }
        try container.encodeIfPresent(nextPageToken, forKey: .nextPageToken)
    }
}
