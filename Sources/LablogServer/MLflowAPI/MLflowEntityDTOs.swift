import LablogCore

/// `{"key": ..., "value": ...}`: MLflow's params, run tags, experiment tags and input tags on the wire.
struct MLflowKeyValue: Codable, Equatable {
    var key: String
    var value: String

    enum CodingKeys: String, CodingKey {
        case key, value
    }

    init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    init(_ pair: KeyValue) { self.init(key: pair.key, value: pair.value) }

    init(_ tag: Tag) { self.init(key: tag.key, value: tag.value) }

    /// Reads a pair; `key` is required, a missing `value` is the empty string (MLflow stores it as "").
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.mlflowRequiredString(.key)
        value = try container.mlflowString(.value) ?? ""
    }

    /// The Core value.
    var pair: KeyValue { KeyValue(key: key, value: value) }
}

/// A metric point on the wire: `{"key", "value", "timestamp", "step"}`, plus `run_id` where several runs mix.
struct MLflowMetric: Encodable, Equatable {
    var key: String
    /// NaN and the infinities are written as MLflow's strings by the response encoder.
    var value: Double
    var timestamp: Int64
    var step: Int64
    var runID: String?

    enum CodingKeys: String, CodingKey {
        case key, value, timestamp, step
        case runID = "run_id"
    }

    init(_ point: MetricPoint, runID: RunID? = nil) {
        key = point.key
        value = point.value
        timestamp = point.timestamp
        step = point.step
        self.runID = runID?.rawValue
    }
}

/// A metric point in a request: `key`, `value` and `timestamp` are required, `step` defaults to 0. Other fields the
/// client sends along (`run_id`, `model_id`, `dataset_name`, `dataset_digest`) are ignored.
struct MLflowMetricInput: Decodable {
    var point: MetricPoint

    enum CodingKeys: String, CodingKey {
        case key, value, timestamp, step
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        point = try Self.point(from: container)
    }

    /// Reads the point fields of `container`; log-metric shares this with log-batch's elements.
    static func point<Key: CodingKey>(
        from container: KeyedDecodingContainer<Key>, key: Key, value: Key, timestamp: Key, step: Key
    ) throws -> MetricPoint {
        let name = try container.mlflowRequiredString(key)
        guard let number = try container.mlflowDouble(value) else {
            throw MLflowError.missingParameter(container.fieldPath(value))
        }
        guard let time = try container.mlflowInt64(timestamp) else {
            throw MLflowError.missingParameter(container.fieldPath(timestamp))
        }
        guard time >= 0 else {
            throw MLflowError.invalidParameter(container.fieldPath(timestamp), "must be a non-negative integer")
        }
        return MetricPoint(key: name, value: number, step: try container.mlflowInt64(step) ?? 0, timestamp: time)
    }

    private static func point(from container: KeyedDecodingContainer<CodingKeys>) throws -> MetricPoint {
        try point(from: container, key: .key, value: .value, timestamp: .timestamp, step: .step)
    }
}

/// Over-long param and tag values are cut to MLflow's limits rather than refused, as MLflow's server does by default.
enum MLflowTruncation {
    /// `pair` with its value cut to `limit` characters (counted as Unicode code points, like MLflow).
    static func truncated(_ pair: KeyValue, limit: Int) -> KeyValue {
        guard pair.value.unicodeScalars.count > limit else { return pair }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: pair.value.unicodeScalars.prefix(limit))
        return KeyValue(key: pair.key, value: String(scalars))
    }

    /// A param as stored: value cut to 6000 characters.
    static func param(_ pair: KeyValue) -> KeyValue { truncated(pair, limit: Limits.maxParamValueLength) }

    /// A run tag as stored: value cut to 8000 characters.
    static func runTag(_ pair: KeyValue) -> KeyValue { truncated(pair, limit: Limits.maxRunTagValueLength) }
}
