import NIOCore

/// The request decoders of the ingestion endpoints, side by side with the general `JSONDecoder` readings they
/// stand in for, so a micro-benchmark can compare them on the same bytes.
package enum IngestDecoders {
    /// The points of a native batch read by the endpoint's byte parser; nil when it leaves the body to
    /// `JSONDecoder`.
    package static func nativeBatch(_ body: ByteBuffer) -> Int? {
        MetricBatchParser.parse(body, defaultTimestamp: 0)?.count
    }

    /// The points of a native batch read by `JSONDecoder`.
    package static func nativeBatchWithJSONDecoder(_ body: ByteBuffer) throws -> Int {
        try WireJSON.decode(MetricBatchRequest.self, from: body).points.count
    }

    /// The metrics of an MLflow log-batch body read by the endpoint's byte parser; nil when it leaves the body to
    /// `JSONDecoder`.
    package static func mlflowLogBatch(_ body: ByteBuffer) throws -> Int? {
        try MLflowLogBatchParser.logBatch(body)?.metrics.count
    }

    /// The metrics of an MLflow log-batch body read by `JSONDecoder`.
    package static func mlflowLogBatchWithJSONDecoder(_ body: ByteBuffer) throws -> Int {
        try WireJSON.decode(MLflowLogBatchRequest.self, from: body).metrics.count
    }

    /// Whether an MLflow log-metric body is read by the endpoint's byte parser (false: left to `JSONDecoder`).
    package static func mlflowLogMetric(_ body: ByteBuffer) -> Bool {
        MLflowLogBatchParser.logMetric(body) != nil
    }

    /// Reads an MLflow log-metric body with `JSONDecoder`.
    package static func mlflowLogMetricWithJSONDecoder(_ body: ByteBuffer) throws {
        _ = try WireJSON.decode(MLflowLogMetricRequest.self, from: body)
    }
}
