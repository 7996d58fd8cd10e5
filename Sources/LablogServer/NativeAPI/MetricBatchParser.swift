import Hummingbird
import LablogCore

/// A single-pass reader for the everyday shape of a metric batch, straight from the request bytes into
/// ``MetricPoint``s.
///
/// Metric ingestion is the hottest path of the server, and `JSONDecoder` spends most of a request's time there.
/// This reader accepts only plain input: `[...]` or `{"metrics": [...]}` of objects whose members are `key`
/// (a string without escapes), `value` (a number or `"NaN"`, `"Infinity"`, `"-Infinity"`), `step` and `timestamp`
/// (plain integers), each at most once, and at most ``Limits/maxMetricsPerNativeBatch`` points. For anything else
/// it returns nil and the caller decodes with ``MetricBatchRequest``, which has the last word on what is valid and
/// produces the precise errors; for input both accept, both give the same points.
struct MetricBatchParser {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The points of `buffer`, or nil when it is not in the plain shape.
    static func parse(_ buffer: ByteBuffer, defaultTimestamp: Int64) -> [MetricPoint]? {
        buffer.withUnsafeReadableBytes { bytes in
            var parser = MetricBatchParser(bytes: bytes)
            return parser.parseBatch(defaultTimestamp: defaultTimestamp)
        }
    }

    private mutating func parseBatch(defaultTimestamp: Int64) -> [MetricPoint]? {
        skipWhitespace()
        let wrapped = consume(UInt8(ascii: "{"))
        if wrapped {
            skipWhitespace()
            guard parseMemberName() == .metrics, skipWhitespaceAndConsume(UInt8(ascii: ":")) else { return nil }
            skipWhitespace()
        }
        guard consume(UInt8(ascii: "[")) else { return nil }
        // A point takes at least 20 bytes (`{"key":"","value":0}`), which bounds the reservation.
        var points: [MetricPoint] = []
        points.reserveCapacity(min(bytes.count / 20 + 1, Limits.maxMetricsPerNativeBatch))
        skipWhitespace()
        if !consume(UInt8(ascii: "]")) {
            while true {
                guard points.count < Limits.maxMetricsPerNativeBatch,
                    let point = parsePoint(defaultTimestamp: defaultTimestamp)
                else { return nil }
                points.append(point)
                skipWhitespace()
                if consume(UInt8(ascii: ",")) {
                    skipWhitespace()
                    continue
                }
                guard consume(UInt8(ascii: "]")) else { return nil }
                break
            }
        }
        if wrapped {
            guard skipWhitespaceAndConsume(UInt8(ascii: "}")) else { return nil }
        }
        skipWhitespace()
        return index == bytes.count ? points : nil
    }

    private enum Member {
        case metrics, key, value, step, timestamp
    }

    private mutating func parsePoint(defaultTimestamp: Int64) -> MetricPoint? {
        guard consume(UInt8(ascii: "{")) else { return nil }
        var key: String?
        var value: Double?
        var step: Int64?
        var timestamp: Int64?
        while true {
            skipWhitespace()
            guard let member = parseMemberName(), skipWhitespaceAndConsume(UInt8(ascii: ":")) else { return nil }
            skipWhitespace()
            switch member {
            case .key:
                guard key == nil, let text = parseString() else { return nil }
                key = text
            case .value:
                guard value == nil, let number = parseMetricValue() else { return nil }
                value = number
            case .step:
                guard step == nil, let integer = parseInteger() else { return nil }
                step = integer
            case .timestamp:
                guard timestamp == nil, let integer = parseInteger() else { return nil }
                timestamp = integer
            case .metrics:
                return nil
            }
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            guard consume(UInt8(ascii: "}")), let key, let value else { return nil }
            return MetricPoint(key: key, value: value, step: step ?? 0, timestamp: timestamp ?? defaultTimestamp)
        }
    }

    /// Reads a quoted member name and says which known member it is; nil for any other name.
    private mutating func parseMemberName() -> Member? {
        guard let (start, end) = scanString() else { return nil }
        switch end - start {
        case 3 where matches("key", at: start): return .key
        case 4 where matches("step", at: start): return .step
        case 5 where matches("value", at: start): return .value
        case 7 where matches("metrics", at: start): return .metrics
        case 9 where matches("timestamp", at: start): return .timestamp
        default: return nil
        }
    }

    private mutating func parseString() -> String? {
        guard let (start, end) = scanString() else { return nil }
        return String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Finds the bytes of a string literal without escapes or control characters; returns their range.
    private mutating func scanString() -> (Int, Int)? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return (start, index - 1)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    private mutating func parseMetricValue() -> Double? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return parseNumber() }
        guard let (start, end) = scanString() else { return nil }
        switch end - start {
        case 3 where matches("NaN", at: start): return .nan
        case 8 where matches("Infinity", at: start): return .infinity
        case 9 where matches("-Infinity", at: start): return -.infinity
        default: return nil
        }
    }

    /// Reads a JSON number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func parseNumber() -> Double? {
        let start = index
        _ = consume(UInt8(ascii: "-"))
        guard scanIntegerDigits() else { return nil }
        var isInteger = true
        if consume(UInt8(ascii: ".")) {
            isInteger = false
            guard scanDigits() > 0 else { return nil }
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            isInteger = false
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            guard scanDigits() > 0 else { return nil }
        }
        let span = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
        // Fractions and exponents go through the correctly rounded standard conversion (texts of up to 15 bytes
        // stay in a small string, so this rarely allocates).
        // Int64 to Double conversion rounds correctly too; only "-0" must keep its sign.
        if isInteger, let integer = Self.integerValue(of: span), integer != 0 || span.first != UInt8(ascii: "-") {
            return Double(integer)
        }
        return Double(String(decoding: span, as: UTF8.self))
    }

    /// Reads a plain integer; a fraction or exponent sends the request to the general decoder.
    private mutating func parseInteger() -> Int64? {
        let start = index
        _ = consume(UInt8(ascii: "-"))
        guard scanIntegerDigits() else { return nil }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            return nil
        }
        return Self.integerValue(of: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
    }

    /// Scans `0` or a digit run not starting with `0`.
    private mutating func scanIntegerDigits() -> Bool {
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            return true
        }
        return scanDigits() > 0
    }

    private mutating func scanDigits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            index += 1
        }
        return index - start
    }

    /// The value of an optionally negative digit run, or nil on overflow.
    private static func integerValue(of span: UnsafeRawBufferPointer) -> Int64? {
        var digits = span[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        var value: Int64 = 0
        for byte in digits {
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) =
                negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    private func matches(_ literal: StaticString, at start: Int) -> Bool {
        literal.withUTF8Buffer { literalBytes in
            for offset in 0..<literalBytes.count where bytes[start + offset] != literalBytes[offset] {
                return false
            }
            return true
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespaceAndConsume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        return consume(byte)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }
}
