import LablogCore
import Testing

/// The refusal `text` (decoded once) meets, or nil when it is accepted.
private func refusal(_ text: String) -> ArtifactPathRefusal? {
    do {
        _ = try ArtifactPath(validating: text)
        #expect(ArtifactPath.refusal(of: text) == nil)
        return nil
    } catch let error as LablogError {
        let found = ArtifactPath.refusal(of: text)
        #expect(found.map { error == $0.error } == true, "\(error) for \(text)")
        return found
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite("Artifact paths")
struct ArtifactPathTests {
    @Test(
        "Ordinary relative paths are accepted and split into segments",
        arguments: [
            (
                "1/0123456789abcdef0123456789abcdef/artifacts/model/MLmodel",
                ["1", "0123456789abcdef0123456789abcdef", "artifacts", "model", "MLmodel"]
            ),
            ("a.txt", ["a.txt"]),
            ("dir with space/a file ü+&=.txt", ["dir with space", "a file ü+&=.txt"]),
            ("a/./b", ["a", "b"]),
            ("./a", ["a"]),
            ("...", ["..."]),
            ("..a/b..", ["..a", "b.."]),
            (".hidden/x", [".hidden", "x"]),
            ("100%.txt", ["100%.txt"]),
            ("a%zzb", ["a%zzb"]),
            ("", []),
        ])
    func accepted(text: String, segments: [String]) throws {
        let path = try ArtifactPath(validating: text)
        #expect(path.segments == segments)
        #expect(path.description == segments.joined(separator: "/"))
        #expect(path.isRoot == segments.isEmpty)
        #expect(path.name == segments.last)
    }

    @Test(
        "Every kind of dangerous path is refused with the field 'path'",
        arguments: [
            ("/etc/passwd", ArtifactPathRefusal.absolute),
            ("/", .absolute),
            ("C:/Windows", .absolute),
            ("c:", .absolute),
            ("%2Fetc", .absolute),
            ("%252Fetc", .absolute),
            ("..", .parentSegment),
            ("../x", .parentSegment),
            ("a/../../x", .parentSegment),
            ("a/..", .parentSegment),
            ("%2e%2e/x", .parentSegment),
            ("%2E%2E/x", .parentSegment),
            ("a/%2e./x", .parentSegment),
            ("a/.%2E/x", .parentSegment),
            ("%252e%252e/x", .parentSegment),
            ("%25252e%25252e/x", .parentSegment),
            ("..%2fx", .parentSegment),
            ("a%2F..%2Fx", .parentSegment),
            ("a//b", .emptySegment),
            ("a/", .emptySegment),
            ("a%2F%2Fb", .emptySegment),
            ("a\\b", .backslash),
            ("..\\x", .backslash),
            ("a%5Cb", .backslash),
            ("a%255cb", .backslash),
            ("a#b", .fragment),
            ("a%23b", .fragment),
            ("a\u{0}b", .nul),
            ("a%00b", .nul),
            ("a%2500b", .nul),
            (String(repeating: "s", count: 256), .segmentTooLong),
            (Array(repeating: String(repeating: "s", count: 200), count: 21).joined(separator: "/"), .tooLong),
        ])
    func refused(text: String, expected: ArtifactPathRefusal) {
        #expect(refusal(text) == expected, "\(text)")
    }

    @Test("A refusal is an invalid value of the field 'path' with a reason a user can act on")
    func refusalError() {
        let error = #expect(throws: LablogError.self) { try ArtifactPath(validating: "a/../b") }
        #expect(error == .invalidValue(field: "path", reason: "must not contain '..' segments"))
        for refusal in ArtifactPathRefusal.allCases {
            #expect(!refusal.reason.isEmpty)
            #expect(refusal.error == .invalidValue(field: "path", reason: refusal.reason))
        }
    }

    @Test("Segments of exactly 255 bytes and paths of exactly 4096 bytes are accepted")
    func limits() throws {
        #expect(try ArtifactPath(validating: String(repeating: "é", count: 127) + "x").segments.count == 1)
        let longest = Array(repeating: String(repeating: "s", count: 240), count: 17).joined(separator: "/")
        #expect(longest.utf8.count == 4096)
        #expect(try ArtifactPath(validating: longest).segments.count == 17)
        #expect(refusal(longest + "s") == .tooLong)
        #expect(refusal(String(repeating: "é", count: 128)) == .segmentTooLong)
    }

    @Test(
        "A URL path is decoded exactly once; deeper encodings are checked but kept literally",
        arguments: [
            ("a%20b/c.txt", ["a b", "c.txt"]),
            ("%C3%BC.txt", ["ü.txt"]),
            ("a+b", ["a+b"]),
            ("100%2525.txt", ["100%25.txt"]),
            ("x%252Fy", ["x%2Fy"]),
        ])
    func percentEncoded(encoded: String, segments: [String]) throws {
        #expect(try ArtifactPath(percentEncoded: encoded).segments == segments)
    }

    @Test(
        "URL paths with traversal in any encoding, or bytes that are not UTF-8, are refused",
        arguments: [
            ("%2e%2e/%2e%2e/x", ArtifactPathRefusal.parentSegment),
            ("..%2f..%2fx", .parentSegment),
            ("%252e%252e/x", .parentSegment),
            ("%2Ftmp%2Fx", .absolute),
            ("/tmp/x", .absolute),
            ("a%23b", .fragment),
            ("a%5c..%5cb", .backslash),
            ("%FF.txt", .invalidUTF8),
            ("%C0%AE%C0%AE/x", .invalidUTF8),
        ])
    func refusedEncoded(encoded: String, expected: ArtifactPathRefusal) {
        #expect(throws: expected.error) { try ArtifactPath(percentEncoded: encoded) }
    }

    @Test(
        "Only paths inside a run's or a logged model's artifact folder have an artifact folder",
        arguments: [
            ("1/0123456789abcdef0123456789abcdef/artifacts/a.txt", 3 as Int?),
            ("1/0123456789ABCDEF0123456789ABCDEF/artifacts", 3),
            ("0/models/m-0123456789abcdef0123456789abcdef/artifacts/MLmodel", 4),
            ("12/models/m-1/artifacts", 4),
            ("1/0123456789abcdef0123456789abcdef/other/a.txt", nil),
            ("1/0123456789abcdef0123456789abcdef", nil),
            ("1/not-a-run-id/artifacts/a.txt", nil),
            ("x/0123456789abcdef0123456789abcdef/artifacts/a.txt", nil),
            ("1/models/m-1/other", nil),
            ("stray.txt", nil),
            ("", nil),
        ])
    func artifactFolder(text: String, depth: Int?) throws {
        #expect(try ArtifactPath(validating: text).artifactFolderSegmentCount == depth)
    }

    @Test("No soup of separators, dots and encodings that is accepted can leave the root")
    func fuzz() throws {
        let pieces = [
            "..", ".", "/", "%2e", "%2E", "%252e", "%2f", "%2F", "%252f", "%5c", "\\", "#", "%23", "%00", "%",
            "%%", "%2", "a", "b", "é", "~", ":", "C:", " ", "+", "%20", "%25", "%2525", "%25252e", "x..y",
        ]
        var generator = SplitMix64(seed: 0xA27F_AC75)
        var accepted = 0
        for _ in 0..<20_000 {
            let count = generator.int(1...8)
            let text = (0..<count).map { _ in generator.pick(pieces) }.joined()
            for candidate in [text, "1/" + text] {
                let fromURL = try? ArtifactPath(percentEncoded: candidate)
                let fromQuery = try? ArtifactPath(validating: candidate)
                for case let path? in [fromURL, fromQuery] {
                    accepted += 1
                    for segment in path.segments {
                        #expect(!segment.isEmpty && segment != "." && segment != "..", "\(candidate)")
                        #expect(!segment.contains("/") && !segment.contains("\0"), "\(candidate)")
                    }
                    // However often a later layer decodes the path, it never climbs or starts at the top.
                    let decoded = String(decoding: fullyDecoded(path.description), as: UTF8.self)
                    let parts = decoded.split(separator: "/", omittingEmptySubsequences: false)
                    #expect(!decoded.hasPrefix("/") && !decoded.contains("\\"), "\(candidate) -> \(decoded)")
                    #expect(!parts.contains(".."), "\(candidate) -> \(decoded)")
                }
            }
        }
        #expect(accepted > 1000)
    }

    /// An independent decoder: Python's `unquote` applied until the text stops changing.
    private func fullyDecoded(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        while true {
            var next: [UInt8] = []
            var index = 0
            while index < bytes.count {
                if bytes[index] == 0x25, index + 2 < bytes.count, let high = hexDigit(bytes[index + 1]),
                    let low = hexDigit(bytes[index + 2])
                {
                    next.append(high * 16 + low)
                    index += 3
                } else {
                    next.append(bytes[index])
                    index += 1
                }
            }
            if next == bytes { return bytes }
            bytes = next
        }
    }

    private func hexDigit(_ byte: UInt8) -> UInt8? {
        let digits = Array("0123456789abcdef".utf8)
        let lowered = (0x41...0x46).contains(byte) ? byte + 0x20 : byte
        return digits.firstIndex(of: lowered).map(UInt8.init)
    }
}
