import Foundation
import LablogCore

/// MLflow's leniencies for request fields, on top of JSON: `null` counts as absent, 64-bit integers may come as
/// numeric strings, doubles as `"NaN"`/`"Infinity"`/`"-Infinity"`, and enums by name or by number.
extension KeyedDecodingContainer {
    /// The field's name as a client wrote it, with its position: `metrics[3].timestamp`.
    func fieldPath(_ key: Key) -> String {
        WirePath.describe(codingPath + [key])
    }

    /// Whether the field is present and not null.
    func isPresent(_ key: Key) throws -> Bool {
        guard contains(key) else { return false }
        return try !decodeNil(forKey: key)
    }

    /// An optional string field.
    func mlflowString(_ key: Key) throws -> String? {
        guard try isPresent(key) else { return nil }
        guard let text = try? decode(String.self, forKey: key) else {
            throw MLflowError.invalidParameter(fieldPath(key), "expected a string")
        }
        return text
    }

    /// A required string field: absent, null and empty are all missing, as in MLflow.
    func mlflowRequiredString(_ key: Key) throws -> String {
        guard let text = try mlflowString(key), !text.isEmpty else {
            throw MLflowError.missingParameter(fieldPath(key))
        }
        return text
    }

    /// An optional 64-bit integer: a JSON number or a numeric string.
    func mlflowInt64(_ key: Key) throws -> Int64? {
        guard try isPresent(key) else { return nil }
        if let number = try? decode(Int64.self, forKey: key) { return number }
        if let text = try? decode(String.self, forKey: key), let number = Int64(text) { return number }
        throw MLflowError.invalidParameter(fieldPath(key), "expected an integer")
    }

    /// An optional double: a JSON number, a numeric string, or MLflow's spellings of NaN and the infinities.
    func mlflowDouble(_ key: Key) throws -> Double? {
        guard try isPresent(key) else { return nil }
        // The decoder already maps "NaN", "Infinity" and "-Infinity".
        if let number = try? decode(Double.self, forKey: key) { return number }
        if let text = try? decode(String.self, forKey: key) {
            if let value = WireNumber.nonFinite(text) { return value }
            if let value = Double(text), value.isFinite { return value }
        }
        throw MLflowError.invalidParameter(fieldPath(key), "expected a number, \"NaN\", \"Infinity\" or \"-Infinity\"")
    }

    /// An optional list of strings.
    func mlflowStrings(_ key: Key) throws -> [String] {
        guard try isPresent(key) else { return [] }
        guard let list = try? decode([String].self, forKey: key) else {
            throw MLflowError.invalidParameter(fieldPath(key), "expected a list of strings")
        }
        return list
    }

    /// An optional list of messages; the elements' own errors keep their paths (`metrics[2].key`).
    func mlflowList<Element: Decodable>(_ type: Element.Type, _ key: Key) throws -> [Element] {
        guard try isPresent(key) else { return [] }
        var list = try nestedUnkeyedContainer(forKey: key)
        var elements: [Element] = []
        if let count = list.count { elements.reserveCapacity(count) }
        while !list.isAtEnd {
            elements.append(try list.decode(Element.self))
        }
        return elements
    }

    /// An optional enum, by name (any case) or by its protobuf number.
    func mlflowEnum<Value: MLflowEnum>(_ type: Value.Type, _ key: Key) throws -> Value? {
        guard try isPresent(key) else { return nil }
        if let number = try? decode(Int.self, forKey: key), let value = Value(mlflowNumber: number) { return value }
        if let text = try? decode(String.self, forKey: key) {
            if let number = Int(text), let value = Value(mlflowNumber: number) { return value }
            if let value = Value(mlflowName: text.uppercased()) { return value }
        }
        throw MLflowError.invalidParameter(
            fieldPath(key), "expected one of \(Value.mlflowNames.joined(separator: ", ")) or their numbers")
    }
}

/// A protobuf enum of MLflow's API, written by name and read by name or number.
protocol MLflowEnum {
    /// The names in protobuf order, so that the number of `mlflowNames[i]` is `i + 1`.
    static var mlflowNames: [String] { get }
    /// The value named `name` (upper case).
    init?(mlflowName name: String)
}

extension MLflowEnum {
    /// The value with protobuf number `number`.
    init?(mlflowNumber number: Int) {
        guard (1...Self.mlflowNames.count).contains(number) else { return nil }
        self.init(mlflowName: Self.mlflowNames[number - 1])
    }
}

extension RunStatus: MLflowEnum {
    static var mlflowNames: [String] { ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] }

    init?(mlflowName name: String) { self.init(rawValue: name) }
}

/// MLflow's `ViewType`: which lifecycle states a search includes.
struct MLflowViewType: MLflowEnum, Equatable {
    var lifecycle: LifecycleFilter

    static var mlflowNames: [String] { ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"] }

    init?(mlflowName name: String) {
        switch name {
        case "ACTIVE_ONLY": lifecycle = .active
        case "DELETED_ONLY": lifecycle = .deleted
        case "ALL": lifecycle = .all
        default: return nil
        }
    }
}
