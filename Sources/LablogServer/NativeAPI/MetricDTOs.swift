import LablogCore

/// One metric point as a client sends it: `{"key": "loss", "value": 0.25, "step": 3, "timestamp": 1767225600000}`.
/// `step` defaults to 0 and `timestamp` (epoch milliseconds) to the time of the request.
struct MetricPointInput: Decodable {
    var key: String
    var value: Double
    var step: Int64
    var timestamp: Int64?

    enum CodingKeys: String, CodingKey {
        case key, value, step, timestamp
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decode(String.self, forKey: .key)
        value = try container.decodeMetricValue(forKey: .value)
        step = try container.decodeIntegerIfPresent(forKey: .step) ?? 0
        timestamp = try container.decodeIntegerIfPresent(forKey: .timestamp)
    }

    func point(defaultTimestamp: Int64) -> MetricPoint {
        MetricPoint(key: key, value: value, step: step, timestamp: timestamp ?? defaultTimestamp)
    }
}

/// The body of `POST /api/runs/{id}/metrics`: a JSON array of points, or `{"metrics": [...]}`.
///
/// This is the ingestion hot path, so points decode straight into a flat array, and the size limit is checked
/// from the array's element count before any point is decoded.
struct MetricBatchRequest: Decodable {
    var points: [MetricPointInput]

    enum CodingKeys: String, CodingKey {
        case metrics
    }

    init(from decoder: any Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            points = try Self.decodePoints(from: &array)
        } else {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            var array = try container.nestedUnkeyedContainer(forKey: .metrics)
            points = try Self.decodePoints(from: &array)
        }
    }

    private static func decodePoints(from array: inout any UnkeyedDecodingContainer) throws -> [MetricPointInput] {
        let count = array.count ?? 0
        guard count <= Limits.maxMetricsPerNativeBatch else {
            throw LablogError.invalidValue(
                field: "metrics",
                reason: "holds \(count) points; the maximum is \(Limits.maxMetricsPerNativeBatch) a request")
        }
        var points: [MetricPointInput] = []
        points.reserveCapacity(count)
        while !array.isAtEnd {
            points.append(try array.decode(MetricPointInput.self))
        }
        return points
    }
}

/// Metrics given when a run is created: the legacy object of latest values (`{"acc": 0.9}`, logged at step 0),
/// or an array of full points.
enum MetricsInput: Decodable {
    case latestValues([(key: String, value: Double)])
    case points([MetricPointInput])

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: DynamicKey.self) {
            self = .latestValues(
                try object.allKeys.sorted { $0.stringValue < $1.stringValue }.map { key in
                    (key: key.stringValue, value: try object.decodeMetricValue(forKey: key))
                })
        } else {
            self = .points(try MetricBatchRequest(from: decoder).points)
        }
    }

    func points(defaultTimestamp: Int64) -> [MetricPoint] {
        switch self {
        case .latestValues(let values):
            values.map { MetricPoint(key: $0.key, value: $0.value, step: 0, timestamp: defaultTimestamp) }
        case .points(let points):
            points.map { $0.point(defaultTimestamp: defaultTimestamp) }
        }
    }
}

/// The body of `POST /api/runs/{id}/params`: `{"params": {"lr": "0.01"}}` or `{"params": [{"key", "value"}]}`.
struct ParamsRequest: Decodable {
    var params: [KeyValue]

    enum CodingKeys: String, CodingKey {
        case params
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        params = try container.decode(KeyValueList.self, forKey: .params).pairs
        guard params.count <= Limits.maxParamsPerBatch else {
            throw LablogError.invalidValue(
                field: "params", reason: "holds \(params.count) params; the maximum is \(Limits.maxParamsPerBatch)")
        }
    }
}

/// The answer of a logging request: how many items it carried.
struct LoggedResult: Encodable {
    var logged: Int
}
