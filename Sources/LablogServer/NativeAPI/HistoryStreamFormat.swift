import Foundation
import LablogCore
import NIOCore

/// The streamed forms of a metric history, which the request's `Accept` header chooses over paginated JSON.
enum HistoryStreamFormat: Equatable {
    /// Little-endian 24-byte records: int64 step, int64 timestamp (ms), float64 value (NaN and the infinities as
    /// IEEE 754 values), in history order; the whole history in one response.
    case binary
    /// `step,timestamp,value` lines under a header line; the whole history in one response.
    case csv

    /// The size of one binary record.
    static let recordSize = 24

    /// The first of the client's media types that Lablog serves, unless it is JSON (quality values are not
    /// weighed); nil means paginated JSON.
    init?(accept: String?) {
        for item in (accept ?? "").split(separator: ",") {
            let mediaType = item.split(separator: ";", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces)
            switch mediaType?.lowercased() {
            case "application/octet-stream": self = .binary
            case "text/csv": self = .csv
            case "application/json", "*/*", "application/*": return nil
            default: continue
            }
            return
        }
        return nil
    }

    /// The response's content type.
    var contentType: String {
        switch self {
        case .binary: "application/octet-stream"
        case .csv: "text/csv; charset=utf-8"
        }
    }

    /// What precedes the first page.
    var prologue: ByteBuffer {
        self == .csv ? ByteBuffer(string: "step,timestamp,value\n") : ByteBuffer()
    }

    /// One page of points in this format.
    func encode(_ points: [MetricPoint]) -> ByteBuffer {
        switch self {
        case .binary:
            var buffer = ByteBuffer()
            buffer.reserveCapacity(points.count * Self.recordSize)
            for point in points {
                buffer.writeInteger(point.step, endianness: .little)
                buffer.writeInteger(point.timestamp, endianness: .little)
                buffer.writeInteger(point.value.bitPattern, endianness: .little)
            }
            return buffer
        case .csv:
            var buffer = ByteBuffer()
            // Most lines are under 48 bytes: steps and millisecond times are short, values at most 24 characters.
            buffer.reserveCapacity(points.count * 48)
            for point in points {
                buffer.writeString(String(point.step))
                buffer.writeInteger(UInt8(ascii: ","))
                buffer.writeString(String(point.timestamp))
                buffer.writeInteger(UInt8(ascii: ","))
                buffer.writeString(WireNumber.text(point.value))
                buffer.writeInteger(UInt8(ascii: "\n"))
            }
            return buffer
        }
    }
}
