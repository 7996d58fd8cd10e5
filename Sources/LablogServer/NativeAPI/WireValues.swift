import LablogCore

/// A coding key made at run time: the keys of `{"lr": "0.01"}`-style objects.
struct DynamicKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ stringValue: String) { self.stringValue = stringValue }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer {
    /// Decodes a metric value: a JSON number, or one of the string forms of non-finite values that MLflow clients
    /// send (`"NaN"`, `"Infinity"`, `"-Infinity"`, and `"inf"`/`"-inf"` in any case).
    func decodeMetricValue(forKey key: Key) throws -> Double {
        do {
            // The decoder already maps MLflow's exact spellings, so numbers and those strings never throw here.
            return try decode(Double.self, forKey: key)
        } catch DecodingError.typeMismatch(let type, let context) {
            guard let text = try? decode(String.self, forKey: key), let value = WireNumber.nonFinite(text) else {
                throw DecodingError.typeMismatch(type, context)
            }
            return value
        }
    }

    /// Decodes a whole number, reporting a fractional or out-of-range one as a validation failure of the field
    /// (Foundation would call it "corrupted data" at the root, hiding which field was wrong).
    func decodeInteger(forKey key: Key) throws -> Int64 {
        do {
            return try decode(Int64.self, forKey: key)
        } catch let error as DecodingError {
            guard case .dataCorrupted = error else { throw error }
            throw LablogError.invalidValue(
                field: WirePath.describe(codingPath + [key]), reason: "must be a whole number in the 64-bit range")
        } catch {
            // Foundation reports a fractional or oversized number with an internal error type.
            throw LablogError.invalidValue(
                field: WirePath.describe(codingPath + [key]), reason: "must be a whole number in the 64-bit range")
        }
    }

    /// Decodes an optional whole number; see ``decodeInteger(forKey:)``.
    func decodeIntegerIfPresent(forKey key: Key) throws -> Int64? {
        do {
            return try decodeIfPresent(Int64.self, forKey: key)
        } catch let error as DecodingError {
            guard case .dataCorrupted = error else { throw error }
            throw LablogError.invalidValue(
                field: WirePath.describe(codingPath + [key]), reason: "must be a whole number in the 64-bit range")
        } catch {
            // Foundation reports a fractional or oversized number with an internal error type.
            throw LablogError.invalidValue(
                field: WirePath.describe(codingPath + [key]), reason: "must be a whole number in the 64-bit range")
        }
    }

    /// Decodes a value that must end up a string (param values, tag values): strings as they are, numbers and
    /// booleans as their JSON text, the way MLflow's clients stringify them (`0.01` -> `"0.01"`, `true` -> `"true"`).
    func decodeStringified(forKey key: Key) throws -> String {
        if let text = try? decode(String.self, forKey: key) { return text }
        if let flag = try? decode(Bool.self, forKey: key) { return flag ? "true" : "false" }
        if let integer = try? decode(Int64.self, forKey: key) { return String(integer) }
        if let number = try? decode(Double.self, forKey: key) { return WireNumber.text(number) }
        if try decodeNil(forKey: key) {
            throw LablogError.invalidValue(field: WirePath.describe(codingPath + [key]), reason: "must not be null")
        }
        throw LablogError.invalidValue(
            field: WirePath.describe(codingPath + [key]), reason: "must be a string, a number or a boolean")
    }

    /// Decodes a point in time: an ISO 8601 string or an integer of milliseconds since the Unix epoch.
    func decodeTimestampIfPresent(forKey key: Key) throws -> Int64? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let text = try? decode(String.self, forKey: key) {
            guard let milliseconds = WireTime.parse(text) else {
                throw LablogError.invalidValue(
                    field: WirePath.describe(codingPath + [key]),
                    reason: "'\(text)' is not an ISO 8601 date-time such as 2026-01-31T12:00:00.000Z")
            }
            return milliseconds
        }
        do {
            return try decode(Int64.self, forKey: key)
        } catch {
            throw LablogError.invalidValue(
                field: WirePath.describe(codingPath + [key]),
                reason: "must be an ISO 8601 string or an integer of milliseconds since the Unix epoch")
        }
    }
}

/// Number text on the wire and in exports.
enum WireNumber {
    /// The value of a non-finite spelling, or nil.
    static func nonFinite(_ text: String) -> Double? {
        switch text.lowercased() {
        case "nan": .nan
        case "infinity", "inf", "+infinity", "+inf": .infinity
        case "-infinity", "-inf": -.infinity
        default: nil
        }
    }

    /// The shortest text that reads back as `value`, with MLflow's spellings for non-finite values.
    static func text(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
        return value.description
    }
}

/// The coding key of an array element, for error paths such as `ids[3]`.
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }

    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

extension UnkeyedDecodingContainer {
    /// Decodes the next element as a whole number; see ``KeyedDecodingContainer/decodeInteger(forKey:)``.
    mutating func decodeInteger() throws -> Int64 {
        let path = codingPath + [IndexKey(currentIndex)]
        do {
            return try decode(Int64.self)
        } catch let error as DecodingError {
            guard case .dataCorrupted = error else { throw error }
            throw LablogError.invalidValue(
                field: WirePath.describe(path), reason: "must be a whole number in the 64-bit range")
        } catch {
            // Foundation reports a fractional or oversized number with an internal error type.
            throw LablogError.invalidValue(
                field: WirePath.describe(path), reason: "must be a whole number in the 64-bit range")
        }
    }
}
