/// A relative path below an artifact root, checked so that no spelling of it can name anything outside that root.
///
/// Clients send artifact paths URL-encoded, and an attacker may encode a traversal more than once (`%252e%252e`)
/// hoping that some later layer decodes it again. The checks therefore run on the *fully* decoded text, decoded
/// until it no longer changes, as MLflow's server does; the segments kept are those of the text as the client
/// meant it (decoded once), so a file named `100%25.txt` keeps its `%`.
///
/// Refused, each as ``LablogError/invalidValue(field:reason:)`` on the field `path`: absolute paths (`/x`, `C:`),
/// `..` segments, empty segments (`a//b`, a trailing `/`), backslashes, `#`, NUL, invalid UTF-8, segments over
/// 255 bytes and paths over 4096 bytes. `.` segments are dropped. The empty text is the root itself.
public struct ArtifactPath: Sendable, Hashable, CustomStringConvertible {
    /// The path's segments, in order: none is empty, `.` or `..`, and none contains `/`.
    public let segments: [String]

    /// The root of the artifact store.
    public static let root = ArtifactPath(checkedSegments: [])

    /// The longest path accepted, in UTF-8 bytes, as Linux's `PATH_MAX`.
    public static let maxLength = 4096
    /// The longest segment accepted, in UTF-8 bytes, as most file systems' `NAME_MAX`.
    public static let maxSegmentLength = 255

    private init(checkedSegments: [String]) {
        segments = checkedSegments
    }

    /// Validates a path that has already been decoded once, such as a query parameter's value.
    ///
    /// - Parameter text: the path as the client meant it, segments separated by `/`.
    /// - Throws: ``LablogError/invalidValue(field:reason:)`` on the field `path` when the path is refused.
    public init(validating text: String) throws {
        if let refusal = Self.refusal(of: text) { throw refusal.error }
        // Splitting keeps empty segments so none can slip through; the refusal above already excluded them, and
        // the empty text, which splits into one empty segment, is the root.
        segments =
            text.isEmpty
            ? [] : text.split(separator: "/", omittingEmptySubsequences: false).filter { $0 != "." }.map(String.init)
    }

    /// Validates a path exactly as it appears in a URL: percent-encoded, not yet decoded.
    ///
    /// - Parameter encoded: the URL's path text below the artifact endpoint.
    /// - Throws: ``LablogError/invalidValue(field:reason:)`` on the field `path` when the path is refused, including
    ///   when its decoded bytes are not UTF-8.
    public init(percentEncoded encoded: some StringProtocol) throws {
        let decoded = Self.percentDecodedOnce(Array(encoded.utf8))
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw ArtifactPathRefusal.invalidUTF8.error
        }
        try self.init(validating: text)
    }

    /// Why `text` (decoded once) is refused, or nil when it is a safe relative path.
    public static func refusal(of text: String) -> ArtifactPathRefusal? {
        let given = Array(text.utf8)
        if given.count > maxLength { return .tooLong }
        if given.isEmpty { return nil }
        let decoded = fullyPercentDecoded(given)
        if decoded.contains(0) { return .nul }
        if decoded.contains(UInt8(ascii: "\\")) { return .backslash }
        if decoded.contains(UInt8(ascii: "#")) { return .fragment }
        if decoded.first == UInt8(ascii: "/") || hasDriveLetter(decoded) { return .absolute }
        let decodedSegments = decoded.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        if decodedSegments.contains(where: { $0.elementsEqual("..".utf8) }) { return .parentSegment }
        if decodedSegments.contains(where: \.isEmpty) { return .emptySegment }
        let givenSegments = given.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        if givenSegments.contains(where: { $0.count > maxSegmentLength }) { return .segmentTooLong }
        return nil
    }

    /// Whether this is the root itself.
    public var isRoot: Bool { segments.isEmpty }

    /// The last segment, the file or folder name; nil for the root.
    public var name: String? { segments.last }

    /// The segments joined with `/`; empty for the root.
    public var description: String { segments.joined(separator: "/") }

    /// How many leading segments name the artifact folder of a run or a logged model, or nil when the path is not
    /// inside one.
    ///
    /// A run's folder is `<experiment_id>/<run_id>/artifacts` and a logged model's is
    /// `<experiment_id>/models/<model_id>/artifacts`, the layout of the `mlflow-artifacts:` URIs runs and models
    /// hand out. The experiment id must be decimal digits and the run id a ``RunID``.
    public var artifactFolderSegmentCount: Int? {
        guard segments.count >= 3, Self.isExperimentID(segments[0]) else { return nil }
        if RunID(segments[1]) != nil, segments[2] == "artifacts" { return 3 }
        if segments[1] == "models", segments.count >= 4, segments[3] == "artifacts" { return 4 }
        return nil
    }

    private static func isExperimentID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 19 && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// `C:` or `c:\`: absolute on Windows, and never a sensible first segment here.
    private static func hasDriveLetter(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 2, bytes[1] == UInt8(ascii: ":") else { return false }
        let first = bytes[0] | 0x20
        return (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first)
    }

    /// Decodes until nothing changes. Each round that changes anything shortens the bytes, so this ends.
    static func fullyPercentDecoded(_ bytes: [UInt8]) -> [UInt8] {
        var current = bytes
        while true {
            let next = percentDecodedOnce(current)
            if next.count == current.count { return current }
            current = next
        }
    }

    /// Replaces every well-formed `%XX` with its byte; a `%` not followed by two hex digits stays as it is, as
    /// Python's `unquote` leaves it.
    static func percentDecodedOnce(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Why an artifact path is refused.
public enum ArtifactPathRefusal: String, Sendable, CaseIterable {
    /// `/x`, or a Windows drive such as `C:`.
    case absolute
    /// A `..` segment, however it is encoded.
    case parentSegment
    /// An empty segment: `a//b`, or a trailing `/`.
    case emptySegment
    /// A backslash, which is a separator on Windows.
    case backslash
    /// A `#`, which would cut a URL short.
    case fragment
    /// A NUL byte, which ends a path in every system call.
    case nul
    /// Bytes that are not UTF-8 once percent-decoded.
    case invalidUTF8
    /// A segment longer than ``ArtifactPath/maxSegmentLength`` bytes.
    case segmentTooLong
    /// A path longer than ``ArtifactPath/maxLength`` bytes.
    case tooLong

    /// The reason given to the client.
    public var reason: String {
        switch self {
        case .absolute: "must be relative"
        case .parentSegment: "must not contain '..' segments"
        case .emptySegment: "must not contain empty segments ('//' or a trailing '/')"
        case .backslash: "must not contain backslashes"
        case .fragment: "must not contain '#'"
        case .nul: "must not contain NUL characters"
        case .invalidUTF8: "must be UTF-8 once percent-decoded"
        case .segmentTooLong: "has a segment longer than \(ArtifactPath.maxSegmentLength) bytes"
        case .tooLong: "is longer than \(ArtifactPath.maxLength) bytes"
        }
    }

    /// The error thrown for this refusal.
    public var error: LablogError { .invalidValue(field: "path", reason: reason) }
}
