import Hummingbird
import LablogCore

/// A single-pass reader for the everyday shape of a metric batch, straight from the request bytes into
/// ``MetricPoint``s.
///
/// Metric ingestion is the hottest path of the server, and `JSONDecoder` spends most of a request's time there.
/// This reader accepts only plain input: `[...]` or `{"metrics": [...]}` of objects whose members are `key`
/// (a string), `value` (a number or `"NaN"`, `"Infinity"`, `"-Infinity"`), `step` and `timestamp` (plain
/// integers), each at most once, and at most ``Limits/maxMetricsPerNativeBatch`` points. For anything else it
/// returns nil and the caller decodes with ``MetricBatchRequest``, which has the last word on what is valid and
/// produces the precise errors; for input both accept, both give the same points.
enum MetricBatchParser {
    /// The points of `buffer`, or nil when it is not in the plain shape.
    static func parse(_ buffer: ByteBuffer, defaultTimestamp: Int64) -> [MetricPoint]? {
        JSONScanner.scan(buffer) { scanner in
            // A point takes at least 20 bytes (`{"key":"","value":0}`), which bounds the reservation.
            var points: [MetricPoint] = []
            points.reserveCapacity(min(scanner.byteCount / 20 + 1, Limits.maxMetricsPerNativeBatch))
            func readPoints(_ scanner: inout JSONScanner) -> Bool {
                scanner.readArray { scanner in
                    guard points.count < Limits.maxMetricsPerNativeBatch,
                        let point = readPoint(&scanner, defaultTimestamp: defaultTimestamp)
                    else { return false }
                    points.append(point)
                    return true
                }
            }
            let wrapped = scanner.next(is: UInt8(ascii: "{"))
            if wrapped {
                var seen = false
                let read = scanner.readObject { scanner, name in
                    guard !seen, scanner.name(name, is: "metrics") else { return false }
                    seen = true
                    return readPoints(&scanner)
                }
                guard read, seen else { return nil }
            } else {
                guard readPoints(&scanner) else { return nil }
            }
            return points
        }
    }

    private static func readPoint(_ scanner: inout JSONScanner, defaultTimestamp: Int64) -> MetricPoint? {
        var key: String?
        var value: Double?
        var step: Int64?
        var timestamp: Int64?
        let read = scanner.readObject { scanner, name in
            if scanner.name(name, is: "key") {
                guard key == nil else { return false }
                key = scanner.readString()
                return key != nil
            } else if scanner.name(name, is: "value") {
                guard value == nil else { return false }
                value = scanner.readMetricValue()
                return value != nil
            } else if scanner.name(name, is: "step") {
                guard step == nil else { return false }
                step = scanner.readInteger()
                return step != nil
            } else if scanner.name(name, is: "timestamp") {
                guard timestamp == nil else { return false }
                timestamp = scanner.readInteger()
                return timestamp != nil
            }
            return false
        }
        guard read, let key, let value else { return nil }
        return MetricPoint(key: key, value: value, step: step ?? 0, timestamp: timestamp ?? defaultTimestamp)
    }
}
