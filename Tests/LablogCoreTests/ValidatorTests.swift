import Foundation
import LablogCore
import Testing

/// The field and reason of a validation failure, or nil when `body` passes.
private func refusal(_ body: () throws -> Void) -> (field: String, reason: String)? {
    do {
        try body()
        return nil
    } catch LablogError.invalidValue(let field, let reason) {
        return (field, reason)
    } catch {
        Issue.record("unexpected error \(error)")
        return ("", "")
    }
}

@Suite("Validator")
struct ValidatorTests {
    @Test(
        "Keys MLflow accepts are accepted",
        arguments: [
            "a", "loss", "train/loss", "a.b", "a-b", "a_b", "a b", "a:b", " leading space", "trailing space ",
            "précision", "日本語", "x²", "UPPER", "0", "a..b", ".hidden", "a/b/c",
            String(repeating: "k", count: 250),
        ])
    func acceptedKey(_ key: String) {
        #expect(refusal { try Validator.key(key) } == nil)
    }

    @Test("The empty key is refused")
    func emptyKey() {
        let failure = refusal { try Validator.key("", field: "metrics.key") }
        #expect(failure?.field == "metrics.key")
        #expect(failure?.reason == "must not be empty")
    }

    @Test("Keys longer than 250 characters are refused")
    func longKey() {
        let failure = refusal { try Validator.key(String(repeating: "k", count: 251)) }
        #expect(failure?.field == "key")
        #expect(failure?.reason == "is 251 characters long; the maximum is 250")
        #expect(refusal { try Validator.key(String(repeating: "é", count: 250)) } == nil)
    }

    @Test(
        "Keys with characters outside MLflow's set are refused",
        arguments: [
            "a!b", "a#b", "a'b", "a\"b", "a\\b", "a\tb", "a\nb", "a*", "a?", "a,b", "a;b", "a@b", "🌍", "a\u{0}",
            "a=b", "(a)", "a\u{301}",
        ])
    func badCharacters(_ key: String) {
        let failure = refusal { try Validator.key(key) }
        #expect(failure?.reason.contains("keys may only contain letters, digits, underscores") == true)
    }

    @Test(
        "Keys that are not normalised paths are refused",
        arguments: ["/a", "a/", "/", "a//b", ".", "..", "./a", "a/.", "a/./b", "../a", "a/..", "x/../y", "//"])
    func pathTricks(_ key: String) {
        let failure = refusal { try Validator.key(key) }
        #expect(failure?.reason.contains("is not a normalised path") == true)
    }

    @Test("A key starting with '..' is refused, as MLflow refuses it")
    func dotDotPrefix() {
        // MLflow refuses any key whose normalised form starts with "..", such as "..a".
        #expect(refusal { try Validator.key("..a") } != nil)
        #expect(refusal { try Validator.key("...x") } != nil)
    }

    @Test("Lengths are checked against the limit")
    func lengths() {
        #expect(refusal { try Validator.length("abc", atMost: 3, field: "f") } == nil)
        let failure = refusal { try Validator.length("abcd", atMost: 3, field: "f") }
        #expect(failure?.field == "f")
        #expect(failure?.reason == "is 4 characters long; the maximum is 3")
        #expect(refusal { try Validator.length("", atMost: 0, field: "f") } == nil)
    }

    @Test("Experiment names: not blank, at most 500 characters")
    func experimentNames() {
        #expect(refusal { try Validator.experimentName("exp") } == nil)
        #expect(refusal { try Validator.experimentName(String(repeating: "n", count: 500)) } == nil)
        #expect(refusal { try Validator.experimentName("") }?.reason == "must not be empty")
        #expect(refusal { try Validator.experimentName(" \t\n") }?.reason == "must not be empty")
        let long = refusal { try Validator.experimentName(String(repeating: "n", count: 501)) }
        #expect(long?.field == "name")
        #expect(long?.reason == "is 501 characters long; the maximum is 500")
    }

    @Test("Params: key rules and a 6000-character value")
    func params() {
        #expect(
            refusal { try Validator.param(KeyValue(key: "lr", value: String(repeating: "1", count: 6000))) } == nil)
        let long = refusal { try Validator.param(KeyValue(key: "lr", value: String(repeating: "1", count: 6001))) }
        #expect(long?.field == "params.lr")
        #expect(refusal { try Validator.param(KeyValue(key: "a//b", value: "1")) }?.field == "params.key")
    }

    @Test("Run tags take 8000 characters, experiment tags 20000")
    func tags() {
        #expect(
            refusal { try Validator.runTag(KeyValue(key: "t", value: String(repeating: "v", count: 8000))) } == nil)
        #expect(
            refusal { try Validator.runTag(KeyValue(key: "t", value: String(repeating: "v", count: 8001))) }?.field
                == "tags.t")
        #expect(refusal { try Validator.runTag(KeyValue(key: "", value: "v")) }?.field == "tags.key")
        let maxValue = String(repeating: "v", count: 20000)
        #expect(refusal { try Validator.experimentTag(KeyValue(key: "t", value: maxValue)) } == nil)
        #expect(refusal { try Validator.experimentTag(KeyValue(key: "t", value: maxValue + "v")) }?.field == "tags.t")
        #expect(refusal { try Validator.experimentTag(KeyValue(key: "t!", value: "v")) }?.field == "tags.key")
    }

    @Test("Metric points: key rules and a non-negative timestamp")
    func metrics() {
        #expect(refusal { try Validator.metric(MetricPoint(key: "loss", value: .nan, step: -5, timestamp: 0)) } == nil)
        let negative = refusal { try Validator.metric(MetricPoint(key: "loss", value: 1, step: 0, timestamp: -1)) }
        #expect(negative?.field == "metrics.timestamp")
        #expect(
            refusal { try Validator.metric(MetricPoint(key: "/loss", value: 1, step: 0, timestamp: 0)) }?.field
                == "metrics.key")
    }

    @Test("Run names: at most 250 characters, empty allowed")
    func runNames() {
        #expect(refusal { try Validator.runName("") } == nil)
        #expect(refusal { try Validator.runName(String(repeating: "r", count: 250)) } == nil)
        #expect(refusal { try Validator.runName(String(repeating: "r", count: 251)) }?.field == "name")
    }

    @Test("Key length counts code points, as MLflow does")
    func keyLengthInCodePoints() {
        // Each Hangul syllable written as two conjoining jamo is one Character but two code points; 150 of
        // them are 300 code points, over MLflow's limit of 250.
        let key = String(repeating: "\u{1100}\u{1161}", count: 150)
        #expect(refusal { try Validator.key(key) } != nil)
    }
}

@Suite("RunID")
struct RunIDTests {
    @Test("32 hex characters make an id; upper case is lowered")
    func valid() throws {
        let lower = "0123456789abcdef0123456789abcdef"
        #expect(RunID(lower)?.rawValue == lower)
        #expect(RunID(lower.uppercased())?.rawValue == lower)
        #expect(RunID("0123456789ABCdef0123456789abcDEF")?.description == lower)
        #expect(try RunID(validating: lower) == RunID(lower))
    }

    @Test(
        "Anything else is refused",
        arguments: [
            "", "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdef0",
            "0123456789abcdef0123456789abcdeg", "0123456789abcdef-123456789abcdef", " 123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcdé", "２123456789abcdef0123456789abcde", "0x23456789abcdef0123456789abcdef",
        ])
    func invalid(_ text: String) {
        #expect(RunID(text) == nil)
        #expect(refusal { _ = try RunID(validating: text) }?.field == "run_id")
    }

    @Test("Random ids are well formed, distinct, and reproducible from a seed")
    func random() {
        var ids: Set<RunID> = []
        for _ in 0..<1000 {
            let id = RunID.random()
            #expect(id.rawValue.count == 32)
            #expect(RunID(id.rawValue) == id)
            #expect(id.rawValue == id.rawValue.lowercased())
            ids.insert(id)
        }
        #expect(ids.count == 1000)

        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        let a = (0..<10).map { _ in RunID.random(using: &first) }
        let b = (0..<10).map { _ in RunID.random(using: &second) }
        #expect(a == b)
        #expect(Set(a).count == 10)
        #expect(a.allSatisfy { RunID($0.rawValue) == $0 })
    }

    @Test("Small random values keep their leading zeros")
    func leadingZeros() {
        struct Zeros: RandomNumberGenerator {
            mutating func next() -> UInt64 { 1 }
        }
        var generator = Zeros()
        #expect(RunID.random(using: &generator).rawValue == "00000000000000010000000000000001")
    }

    @Test("Ids order by their text")
    func ordering() throws {
        let low = try #require(RunID("00000000000000000000000000000001"))
        let high = try #require(RunID("f0000000000000000000000000000000"))
        #expect(low < high)
        #expect([high, low].sorted() == [low, high])
    }

    @Test("Ids encode as JSON strings and decode with validation")
    func codable() throws {
        let id = try #require(RunID("0123456789abcdef0123456789abcdef"))
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == "[\"0123456789abcdef0123456789abcdef\"]")
        #expect(try JSONDecoder().decode([RunID].self, from: data) == [id])
        let upper = Data("[\"0123456789ABCDEF0123456789ABCDEF\"]".utf8)
        #expect(try JSONDecoder().decode([RunID].self, from: upper) == [id])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([RunID].self, from: Data("[\"nope\"]".utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([RunID].self, from: Data("[42]".utf8))
        }
    }
}
