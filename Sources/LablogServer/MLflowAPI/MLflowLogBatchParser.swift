import Hummingbird
import LablogCore

/// Single-pass readers for the bodies of `runs/log-batch` and `runs/log-metric`, MLflow's ingestion hot paths.
///
/// They accept what MLflow's clients send: strings without surprises, metric values as numbers or `"NaN"`,
/// `"Infinity"`, `"-Infinity"`, 64-bit integers as numbers or numeric strings, `null` as absent, and unknown
/// fields skipped as proto JSON does. For anything else, including every body that must be refused, they return
/// nil and the caller decodes with `JSONDecoder` (``MLflowLogBatchRequest``, ``MLflowLogMetricRequest``), which
/// writes MLflow's error messages. For a body both accept, both give the same request.
enum MLflowLogBatchParser {
    /// The log-batch request in `buffer`, or nil to leave it to the general decoder.
    /// - Throws: MLflow's batch limit errors, as the general decoder would.
    static func logBatch(_ buffer: ByteBuffer) throws -> MLflowLogBatchRequest? {
        var runID: String?
        var metrics: [MetricPoint] = []
        var params: [KeyValue] = []
        var tags: [KeyValue] = []
        var seen = SeenFields()
        let read: Bool? = JSONScanner.scan(buffer) { scanner in
            let read = scanner.readObject { scanner, name in
                guard let field = Field(name, in: scanner) else { return scanner.skipValue() }
                guard seen.insert(field) else { return false }
                switch field {
                case .runID: return readOptionalString(&scanner, into: &runID)
                case .metrics:
                    metrics.reserveCapacity(min(scanner.byteCount / 40 + 1, MLflowLogBatchRequest.maxMetrics + 1))
                    return readList(&scanner) { scanner in
                        guard let point = readMetric(&scanner) else { return false }
                        metrics.append(point)
                        return true
                    }
                case .params: return readPairs(&scanner, into: &params)
                case .tags: return readPairs(&scanner, into: &tags)
                default: return scanner.skipValue()
                }
            }
            return read ? true : nil
        }
        guard read != nil, let runID, let id = RunID(runID) else { return nil }
        return try MLflowLogBatchRequest(runID: id, metrics: metrics, params: params, tags: tags)
    }

    /// The log-metric request in `buffer`, or nil to leave it to the general decoder.
    static func logMetric(_ buffer: ByteBuffer) -> MLflowLogMetricRequest? {
        JSONScanner.scan(buffer) { scanner in
            var runID: String?
            var runUUID: String?
            var metric = MetricFields()
            var seen = SeenFields()
            let read = scanner.readObject { scanner, name in
                guard let field = Field(name, in: scanner) else { return scanner.skipValue() }
                guard seen.insert(field) else { return false }
                switch field {
                case .runID: return readOptionalString(&scanner, into: &runID)
                case .runUUID: return readOptionalString(&scanner, into: &runUUID)
                default: return metric.read(field, from: &scanner) ?? scanner.skipValue()
                }
            }
            let text = (runID ?? "").isEmpty ? runUUID : runID
            guard read, let text, let id = RunID(text), let point = metric.point else { return nil }
            return MLflowLogMetricRequest(runID: id, point: point)
        }
    }

    /// The member names the readers know.
    private enum Field: Int {
        case runID, runUUID, metrics, params, tags, key, value, timestamp, step

        init?(_ name: JSONScanner.Name, in scanner: JSONScanner) {
            if scanner.name(name, is: "key") {
                self = .key
            } else if scanner.name(name, is: "value") {
                self = .value
            } else if scanner.name(name, is: "timestamp") {
                self = .timestamp
            } else if scanner.name(name, is: "step") {
                self = .step
            } else if scanner.name(name, is: "run_id") {
                self = .runID
            } else if scanner.name(name, is: "metrics") {
                self = .metrics
            } else if scanner.name(name, is: "params") {
                self = .params
            } else if scanner.name(name, is: "tags") {
                self = .tags
            } else if scanner.name(name, is: "run_uuid") {
                self = .runUUID
            } else {
                return nil
            }
        }
    }

    /// The fields an object has shown so far: a name given twice refuses the body (without allocating per object).
    private struct SeenFields {
        private var bits: UInt16 = 0

        /// Records `field`; false when it was already there.
        mutating func insert(_ field: Field) -> Bool {
            let bit: UInt16 = 1 << field.rawValue
            defer { bits |= bit }
            return bits & bit == 0
        }
    }

    /// The fields of one metric object; a field given twice or of an unexpected type refuses the body.
    private struct MetricFields {
        var key: String?
        var value: Double?
        var timestamp: Int64?
        var step: Int64?

        /// Reads the value of `field` if it is a metric field: nil when it is not one, false when refused.
        mutating func read(_ field: Field, from scanner: inout JSONScanner) -> Bool? {
            switch field {
            case .key: return readOptionalString(&scanner, into: &key)
            case .value:
                if scanner.readNull() { return true }
                value = scanner.readMetricValue()
                return value != nil
            case .timestamp: return readOptionalInteger(&scanner, into: &timestamp)
            case .step: return readOptionalInteger(&scanner, into: &step)
            default: return nil
            }
        }

        /// The point, when every required field is there and valid.
        var point: MetricPoint? {
            guard let key, !key.isEmpty, let value, let timestamp, timestamp >= 0 else { return nil }
            return MetricPoint(key: key, value: value, step: step ?? 0, timestamp: timestamp)
        }
    }

    private static func readMetric(_ scanner: inout JSONScanner) -> MetricPoint? {
        var metric = MetricFields()
        var seen = SeenFields()
        let read = scanner.readObject { scanner, name in
            guard let field = Field(name, in: scanner) else { return scanner.skipValue() }
            guard seen.insert(field) else { return false }
            return metric.read(field, from: &scanner) ?? scanner.skipValue()
        }
        return read ? metric.point : nil
    }

    /// Reads `[{"key", "value"}]`; a missing or null value is "", as MLflow stores it.
    private static func readPairs(_ scanner: inout JSONScanner, into pairs: inout [KeyValue]) -> Bool {
        readList(&scanner) { scanner in
            var key: String?
            var value: String?
            var seen = SeenFields()
            let read = scanner.readObject { scanner, name in
                guard let field = Field(name, in: scanner) else { return scanner.skipValue() }
                guard seen.insert(field) else { return false }
                switch field {
                case .key: return readOptionalString(&scanner, into: &key)
                case .value: return readOptionalString(&scanner, into: &value)
                default: return scanner.skipValue()
                }
            }
            guard read, let key, !key.isEmpty else { return false }
            pairs.append(KeyValue(key: key, value: value ?? ""))
            return true
        }
    }

    /// Reads a list that may be null (an empty list).
    private static func readList(_ scanner: inout JSONScanner, _ element: (inout JSONScanner) -> Bool) -> Bool {
        scanner.readNull() || scanner.readArray(element)
    }

    /// Reads a string or null (absent).
    private static func readOptionalString(_ scanner: inout JSONScanner, into target: inout String?) -> Bool {
        if scanner.readNull() { return true }
        target = scanner.readString()
        return target != nil
    }

    /// Reads a 64-bit integer given as a number or a numeric string, or null (absent).
    private static func readOptionalInteger(_ scanner: inout JSONScanner, into target: inout Int64?) -> Bool {
        if scanner.readNull() { return true }
        if scanner.next(is: UInt8(ascii: "\"")) {
            target = scanner.readString().flatMap { Int64($0) }
        } else {
            target = scanner.readInteger()
        }
        return target != nil
    }
}
