import LablogCore

/// A run on the wire: attributes, `params` and `metrics` as objects (the legacy shape), plus the full latest points.
struct RunResponse: Encodable {
    var run: Run

    enum CodingKeys: String, CodingKey {
        case id, name, status, lifecycle, params, metrics, tags
        case experimentID = "experiment_id"
        case startTime = "start_time"
        case endTime = "end_time"
        case parentRunID = "parent_run_id"
        case artifactURI = "artifact_uri"
        case userID = "user_id"
        case latestMetrics = "latest_metrics"
    }

    init(_ run: Run) { self.run = run }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(run.id, forKey: .id)
        try container.encode(run.experimentID, forKey: .experimentID)
        try container.encode(run.name, forKey: .name)
        try container.encode(run.status.rawValue, forKey: .status)
        try container.encode(WireTime.format(run.startTime), forKey: .startTime)
        // Optional fields are written as null rather than left out, so every run has the same keys.
        try container.encode(run.endTime.map(WireTime.format), forKey: .endTime)
        try container.encode(run.lifecycle.rawValue, forKey: .lifecycle)
        try container.encode(run.parentRunID, forKey: .parentRunID)
        try container.encode(run.artifactURI, forKey: .artifactURI)
        try container.encode(run.userID, forKey: .userID)
        var params = container.nestedContainer(keyedBy: DynamicKey.self, forKey: .params)
        for param in run.params {
            try params.encode(param.value, forKey: DynamicKey(param.key))
        }
        var metrics = container.nestedContainer(keyedBy: DynamicKey.self, forKey: .metrics)
        for point in run.latestMetrics {
            try metrics.encode(point.value, forKey: DynamicKey(point.key))
        }
        try container.encode(run.latestMetrics.map(MetricPointResponse.init), forKey: .latestMetrics)
        try container.encode(run.tags.nativeRunTags.map { TagResponse($0) }, forKey: .tags)
    }
}

/// A metric point on the wire; `key` is left out where the context already names the metric (a history).
struct MetricPointResponse: Encodable {
    var key: String?
    var value: Double
    var step: Int64
    var timestamp: String

    enum CodingKeys: String, CodingKey {
        case key, value, step, timestamp
    }

    init(_ point: MetricPoint) {
        self.init(point, includingKey: true)
    }

    init(_ point: MetricPoint, includingKey: Bool) {
        key = includingKey ? point.key : nil
        value = point.value
        step = point.step
        timestamp = WireTime.format(point.timestamp)
    }
}

/// The body of `POST /api/experiments/{id}/runs`, the legacy shape plus optional run attributes:
/// `{"name": "r1", "metrics": {"acc": 0.9}, "params": {"lr": 0.01}, "tags": {"team": "vision"}}`.
struct CreateRunRequest: Decodable {
    var name: String?
    var status: RunStatus?
    var startTime: Int64?
    var parentRunID: RunID?
    var userID: String?
    var params: [KeyValue]
    var tags: [KeyValue]
    /// Legacy `{"acc": 0.9}` values, logged at step 0; or full points when the client sends an array.
    var metrics: MetricsInput?

    enum CodingKeys: String, CodingKey {
        case name, status, params, tags, metrics
        case startTime = "start_time"
        case parentRunID = "parent_run_id"
        case userID = "user_id"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        status = try container.decodeRunStatusIfPresent(forKey: .status)
        startTime = try container.decodeTimestampIfPresent(forKey: .startTime)
        if let text = try container.decodeIfPresent(String.self, forKey: .parentRunID), !text.isEmpty {
            guard let id = RunID(text) else {
                throw LablogError.invalidValue(field: "parent_run_id", reason: "must be 32 hexadecimal characters")
            }
            parentRunID = id
        }
        userID = try container.decodeIfPresent(String.self, forKey: .userID)
        params = try container.decodeIfPresent(KeyValueList.self, forKey: .params)?.pairs ?? []
        tags = try container.decodeIfPresent(KeyValueList.self, forKey: .tags)?.pairs ?? []
        metrics = try container.decodeIfPresent(MetricsInput.self, forKey: .metrics)
    }

    /// The Core creation request; legacy metric values become points at step 0 stamped `now`.
    func newRun(experimentID: ExperimentID, now: Int64) -> NewRun {
        NewRun(
            experimentID: experimentID, name: name, status: status ?? .running, startTime: startTime,
            parentRunID: parentRunID, userID: userID ?? "", params: params, tags: tags,
            metrics: metrics?.points(defaultTimestamp: now) ?? [])
    }
}

/// The body of `PATCH /api/runs/{id}`: `{"status": "FINISHED", "end_time": ..., "name": ...}`, all optional.
struct UpdateRunRequest: Decodable {
    var update: RunUpdate

    enum CodingKeys: String, CodingKey {
        case name, status
        case endTime = "end_time"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        update = RunUpdate(
            name: try container.decodeIfPresent(String.self, forKey: .name),
            status: try container.decodeRunStatusIfPresent(forKey: .status),
            endTime: try container.decodeTimestampIfPresent(forKey: .endTime))
    }
}

/// The body of the run bulk endpoints: `{"ids": ["<32 hex>", ...]}`.
struct RunIDsRequest: Decodable {
    var ids: [RunID]

    enum CodingKeys: String, CodingKey {
        case ids
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ids = try container.decodeBulkIDs(forKey: .ids) { array in
            let path = array.codingPath + [IndexKey(array.currentIndex)]
            let text = try array.decode(String.self)
            guard let id = RunID(text) else {
                throw LablogError.invalidValue(
                    field: WirePath.describe(path), reason: "'\(text)' is not 32 hexadecimal characters")
            }
            return id
        }
    }
}

extension KeyedDecodingContainer {
    /// Decodes an optional run status (`RUNNING`, `SCHEDULED`, `FINISHED`, `FAILED`, `KILLED`, any case).
    func decodeRunStatusIfPresent(forKey key: Key) throws -> RunStatus? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let status = RunStatus(name: text) else {
            let allowed = RunStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw LablogError.invalidValue(
                field: WirePath.describe(codingPath + [key]), reason: "'\(text)' is not one of \(allowed)")
        }
        return status
    }
}
