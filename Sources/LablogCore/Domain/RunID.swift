import Foundation

/// The public identifier of a run: 32 lowercase hexadecimal characters, the form MLflow uses.
public struct RunID: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The 32-character lowercase hexadecimal text of the id.
    public let rawValue: String

    /// Validates and wraps a run id.
    ///
    /// - Parameter text: the candidate id; upper-case hex digits are accepted and lowered.
    /// - Throws: ``LablogError/invalidValue(field:reason:)`` when `text` is not 32 hex characters.
    public init(validating text: String) throws {
        guard let id = RunID(text) else {
            throw LablogError.invalidValue(field: "run_id", reason: "must be 32 hexadecimal characters")
        }
        self = id
    }

    /// Wraps `text` when it is a well-formed run id, or returns nil.
    public init?(_ text: String) {
        guard text.utf8.count == 32, text.utf8.allSatisfy(\.isHexDigit) else { return nil }
        rawValue = text.lowercased()
    }

    /// Makes a new random run id.
    public static func random() -> RunID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// Makes a new run id from the given random number generator (tests pass a seeded one).
    public static func random(using generator: inout some RandomNumberGenerator) -> RunID {
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        let text = hex(high) + hex(low)
        return RunID(uncheckedRawValue: text)
    }

    private init(uncheckedRawValue: String) { rawValue = uncheckedRawValue }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    public var description: String { rawValue }

    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = RunID(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "run id must be 32 hexadecimal characters"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x61...0x66).contains(self) || (0x41...0x46).contains(self)
    }
}
