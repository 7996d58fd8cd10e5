import Hummingbird

/// A forward-only reader of JSON tokens over a request's bytes, shared by the hand-written decoders of the
/// ingestion hot paths (``MetricBatchParser``, ``MLflowLogBatchParser``).
///
/// Every read returns nil (or false) on input it does not accept, without saying why: the decoders built on it
/// only take the common shapes, and give anything else to `JSONDecoder`, which has the last word on validity and
/// writes the precise error messages. So the scanner must never accept what strict JSON refuses, but may refuse
/// valid JSON it finds unusual (nesting deeper than ``maxSkipDepth``, lone surrogate escapes). Each read skips the
/// whitespace before its token.
struct JSONScanner {
    /// The bytes of a member name or string read without decoding: a range of the scanned buffer.
    struct Name {
        fileprivate let start: Int
        fileprivate let end: Int
    }

    /// How deeply a skipped value may nest.
    static let maxSkipDepth = 64

    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Runs `read` on a scanner over `buffer`'s readable bytes; nil unless `read` returns a value and only
    /// whitespace follows what it read.
    static func scan<Result>(_ buffer: ByteBuffer, _ read: (inout JSONScanner) -> Result?) -> Result? {
        buffer.withUnsafeReadableBytes { bytes in
            var scanner = JSONScanner(bytes: bytes)
            guard let result = read(&scanner) else { return nil }
            scanner.skipWhitespace()
            return scanner.index == scanner.bytes.count ? result : nil
        }
    }

    /// The number of bytes scanned, for sizing arrays before reading them.
    var byteCount: Int { bytes.count }

    // MARK: Structure

    /// Consumes `byte` if it is the next token.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Whether the next token starts with `byte`, without consuming it.
    mutating func next(is byte: UInt8) -> Bool {
        skipWhitespace()
        return index < bytes.count && bytes[index] == byte
    }

    /// Reads an object, calling `member` after each member's name and colon; `member` must read the value.
    mutating func readObject(_ member: (inout JSONScanner, Name) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let name = readName(), consume(UInt8(ascii: ":")), member(&self, name) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}"))
    }

    /// Reads an array, calling `element` for each element; `element` must read it.
    mutating func readArray(_ element: (inout JSONScanner) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]"))
    }

    /// Consumes `null` if it is the next token.
    mutating func readNull() -> Bool {
        guard next(is: UInt8(ascii: "n")) else { return false }
        return consumeLiteral("null")
    }

    /// Skips any value, checking its syntax as strictly as `JSONDecoder` would.
    mutating func skipValue(depth: Int = 0) -> Bool {
        skipWhitespace()
        guard index < bytes.count, depth < Self.maxSkipDepth else { return false }
        switch bytes[index] {
        case UInt8(ascii: "{"): return readObject { scanner, _ in scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): return readArray { scanner in scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): return readString() != nil
        case UInt8(ascii: "t"): return consumeLiteral("true")
        case UInt8(ascii: "f"): return consumeLiteral("false")
        case UInt8(ascii: "n"): return consumeLiteral("null")
        default: return readNumber() != nil
        }
    }

    // MARK: Strings

    /// Reads a string without escapes, leaving its bytes undecoded: member names and fixed spellings.
    mutating func readName() -> Name? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return Name(start: start, end: index - 1)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    /// Whether `name` is exactly `literal`.
    func name(_ name: Name, is literal: StaticString) -> Bool {
        guard name.end - name.start == literal.utf8CodeUnitCount else { return false }
        return literal.withUTF8Buffer { literalBytes in
            for offset in 0..<literalBytes.count where bytes[name.start + offset] != literalBytes[offset] {
                return false
            }
            return true
        }
    }

    /// Reads a string, decoding its escapes; nil for invalid UTF-8 or a lone surrogate.
    mutating func readString() -> String? {
        guard next(is: UInt8(ascii: "\"")) else { return nil }
        let start = index + 1
        if let name = readName() {
            return String(validating: UnsafeRawBufferPointer(rebasing: bytes[name.start..<name.end]), as: UTF8.self)
        }
        // readName stopped at an escape or a control character: decode from the start.
        index = start
        var decoded: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard appendEscape(to: &decoded) else { return nil }
            case ..<0x20:
                return nil
            default:
                decoded.append(byte)
            }
        }
        return nil
    }

    /// Decodes the escape after a backslash into UTF-8.
    private mutating func appendEscape(to decoded: inout [UInt8]) -> Bool {
        guard index < bytes.count else { return false }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(byte)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            guard let unit = readHexUnit() else { return false }
            var scalarValue = UInt32(unit)
            if (0xD800..<0xDC00).contains(unit) {
                guard consumeRaw(UInt8(ascii: "\\")), consumeRaw(UInt8(ascii: "u")), let low = readHexUnit(),
                    (0xDC00..<0xE000).contains(low)
                else { return false }
                scalarValue = 0x10000 + (UInt32(unit - 0xD800) << 10) + UInt32(low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else { return false }
            UTF8.encode(scalar) { decoded.append($0) }
        default: return false
        }
        return true
    }

    private mutating func readHexUnit() -> UInt16? {
        guard index + 4 <= bytes.count else { return nil }
        var unit: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt16(digit)
            index += 1
        }
        return unit
    }

    // MARK: Numbers

    /// Reads a number as a finite double; nil for a literal out of the double range, as `JSONDecoder` refuses it.
    mutating func readNumber() -> Double? {
        guard let number = scanNumber() else { return nil }
        if number.isInteger, let integer = Self.integerValue(of: number.span),
            integer != 0 || number.span.first != UInt8(ascii: "-")
        {
            // Int64 to Double rounds correctly; only "-0" needs the general path to keep its sign.
            return Double(integer)
        }
        let value = Self.fastDecimal(number.span) ?? Double(String(decoding: number.span, as: UTF8.self))
        guard let value, value.isFinite else { return nil }
        return value
    }

    /// Reads a plain integer in the 64-bit range; a fraction or an exponent is refused.
    mutating func readInteger() -> Int64? {
        guard let number = scanNumber(), number.isInteger else { return nil }
        return Self.integerValue(of: number.span)
    }

    /// Reads a metric value: a number, or MLflow's strings `"NaN"`, `"Infinity"` and `"-Infinity"` (the spellings
    /// `JSONDecoder` is configured to accept; other spellings are left to it).
    mutating func readMetricValue() -> Double? {
        guard next(is: UInt8(ascii: "\"")) else { return readNumber() }
        guard let spelling = readName() else { return nil }
        if name(spelling, is: "NaN") { return .nan }
        if name(spelling, is: "Infinity") { return .infinity }
        if name(spelling, is: "-Infinity") { return -.infinity }
        return nil
    }

    /// Scans `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func scanNumber() -> (span: UnsafeRawBufferPointer, isInteger: Bool)? {
        skipWhitespace()
        let start = index
        _ = consumeRaw(UInt8(ascii: "-"))
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if scanDigits() == 0 {
            return nil
        }
        var isInteger = true
        if consumeRaw(UInt8(ascii: ".")) {
            isInteger = false
            guard scanDigits() > 0 else { return nil }
        }
        if consumeRaw(UInt8(ascii: "e")) || consumeRaw(UInt8(ascii: "E")) {
            isInteger = false
            if !consumeRaw(UInt8(ascii: "+")) { _ = consumeRaw(UInt8(ascii: "-")) }
            guard scanDigits() > 0 else { return nil }
        }
        return (UnsafeRawBufferPointer(rebasing: bytes[start..<index]), isInteger)
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
            let digit = Int64(byte &- UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) =
                negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    /// Powers of ten that doubles hold exactly.
    private static let exactPowersOfTen: [Double] = (0...22).map { exponent in
        var power = 1.0
        for _ in 0..<exponent { power *= 10 }
        return power
    }

    /// A decimal of at most 15 significant digits whose power of ten is within 10^±22: both the digits and the
    /// power are exact doubles, so one multiplication or division rounds correctly (Clinger's fast path). Nil
    /// for every other text, which the standard conversion then reads.
    private static func fastDecimal(_ span: UnsafeRawBufferPointer) -> Double? {
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var index = 0
        let negative = span.first == UInt8(ascii: "-")
        if negative { index = 1 }
        var seenPoint = false
        while index < span.count {
            let byte = span[index]
            if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if mantissa != 0 || byte != UInt8(ascii: "0") { digits += 1 }
                mantissa = mantissa &* 10 &+ UInt64(byte - UInt8(ascii: "0"))
                if seenPoint { scale -= 1 }
            } else {
                break
            }
            index += 1
        }
        guard digits <= 15 else { return nil }
        if index < span.count {
            // An exponent: [eE] [+-]? digits, already validated by scanNumber.
            index += 1
            let negativeExponent = span[index] == UInt8(ascii: "-")
            if span[index] == UInt8(ascii: "-") || span[index] == UInt8(ascii: "+") { index += 1 }
            var exponent = 0
            while index < span.count {
                exponent = exponent * 10 + Int(span[index] - UInt8(ascii: "0"))
                guard exponent < 1000 else { return nil }
                index += 1
            }
            scale += negativeExponent ? -exponent : exponent
        }
        guard mantissa != 0 || !negative else { return nil }
        guard (-22...22).contains(scale) else { return nil }
        let magnitude = Double(mantissa)
        let value = scale < 0 ? magnitude / exactPowersOfTen[-scale] : magnitude * exactPowersOfTen[scale]
        return negative ? -value : value
    }

    // MARK: Bytes

    private mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let matched = literal.withUTF8Buffer { literalBytes in
            (0..<count).allSatisfy { bytes[index + $0] == literalBytes[$0] }
        }
        if matched { index += count }
        return matched
    }

    private mutating func consumeRaw(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
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
