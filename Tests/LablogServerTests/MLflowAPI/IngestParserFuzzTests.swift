import Foundation
import Hummingbird
import LablogCore
import Testing

@testable import LablogServer

/// Randomized tests of the hand-written ingestion readers, with fixed seeds so any failure replays exactly: they
/// never crash, and whatever they accept, `JSONDecoder` reads the same way.
@Suite("Ingestion fast paths: fuzzing against JSONDecoder")
struct IngestParserFuzzTests {
    private static let runID = "0123456789abcdef0123456789abcdef"

    /// The slow path's reading of a log-batch body: the request, or the error text.
    private func decoded(_ body: String) -> Result<MLflowLogBatchRequest, any Error> {
        Result { try WireJSON.decode(MLflowLogBatchRequest.self, from: ByteBuffer(string: body)) }
    }

    /// Checks the fast reading of a log-batch body against the slow one; returns whether the fast path took it.
    @discardableResult
    private func checkLogBatch(_ body: String) -> Bool {
        let fast: MLflowLogBatchRequest?
        do {
            fast = try MLflowLogBatchParser.logBatch(ByteBuffer(string: body))
        } catch {
            // A limit error from the fast path must be the slow path's error too.
            if case .success = decoded(body) { Issue.record("fast path refused \(body.debugDescription): \(error)") }
            return true
        }
        guard let fast else { return false }
        switch decoded(body) {
        case .failure(let error):
            Issue.record("fast path accepted \(body.debugDescription), JSONDecoder refused it: \(error)")
        case .success(let slow):
            #expect(fast.runID == slow.runID, "\(body)")
            #expect(fast.metrics == slow.metrics, "\(body)")
            #expect(fast.metrics.map { $0.value.bitPattern } == slow.metrics.map { $0.value.bitPattern }, "\(body)")
            #expect(fast.params == slow.params && fast.tags == slow.tags, "\(body)")
        }
        return true
    }

    /// Checks the fast reading of a log-metric body against the slow one.
    private func checkLogMetric(_ body: String) {
        guard let fast = MLflowLogBatchParser.logMetric(ByteBuffer(string: body)) else { return }
        do {
            let slow = try WireJSON.decode(MLflowLogMetricRequest.self, from: ByteBuffer(string: body))
            #expect(fast.runID == slow.runID && fast.point == slow.point, "\(body)")
            #expect(fast.point.value.bitPattern == slow.point.value.bitPattern, "\(body)")
        } catch {
            Issue.record("fast path accepted \(body.debugDescription), JSONDecoder refused it: \(error)")
        }
    }

    /// Checks the native batch reader against the native decoder.
    private func checkNativeBatch(_ body: String) {
        guard let fast = MetricBatchParser.parse(ByteBuffer(string: body), defaultTimestamp: 7) else { return }
        do {
            let slow = try WireJSON.decode(MetricBatchRequest.self, from: ByteBuffer(string: body)).points
                .map { $0.point(defaultTimestamp: 7) }
            #expect(fast == slow, "\(body)")
            #expect(fast.map(\.value.bitPattern) == slow.map(\.value.bitPattern), "\(body)")
        } catch {
            Issue.record("native fast path accepted \(body.debugDescription), JSONDecoder refused it: \(error)")
        }
    }

    @Test("The bodies MLflow's Python client writes take the fast path")
    func pythonClientBodies() throws {
        let run = String(repeating: "a", count: 32)
        let batch =
            #"{"run_id":"\#(run)","metrics":[{"key":"loss","value":"NaN","timestamp":1767225600000,"step":3},"#
            + #"{"key":"acc","value":0.25,"timestamp":1767225600000,"step":0}]}"#
        let fast = try #require(try MLflowLogBatchParser.logBatch(ByteBuffer(string: batch)))
        #expect(fast.metrics.count == 2 && fast.metrics[0].value.isNaN && fast.metrics[1].value == 0.25)
        #expect(checkLogBatch(batch))
        let metric = #"{"run_uuid":"\#(run)","key":"k","value":1.5,"timestamp":5,"step":0,"run_id":"\#(run)"}"#
        let point = try #require(MLflowLogBatchParser.logMetric(ByteBuffer(string: metric))).point
        #expect(point == MetricPoint(key: "k", value: 1.5, step: 0, timestamp: 5))
    }

    @Test("Generated log-batch bodies take the fast path and decode as JSONDecoder decodes them")
    func generatedBodies() {
        var generator = BodyGenerator(seed: 0x1A7B_0001)
        var taken = 0
        for _ in 0..<2_000 {
            if checkLogBatch(generator.logBatch(runID: Self.runID)) { taken += 1 }
        }
        // Numeric strings that are not integers and lone escapes are rare; nearly everything is taken.
        #expect(taken > 1_800)
    }

    @Test("Random bytes never crash any reader, and what they accept agrees with JSONDecoder")
    func randomBytes() {
        var rng = FuzzRandom(seed: 0x1A7B_0002)
        let alphabet =
            Array(#"{}[]:,"\ 0123456789.eE+-nulltruefalseNaNInfinity_keyvaluestepruntimesmtag"#.utf8)
            + [0x00, 0x0A, 0xC3, 0xA9, 0xFF]
        for _ in 0..<20_000 {
            let bytes = (0..<rng.int(0...80)).map { _ in rng.pick(alphabet) }
            let body = String(decoding: bytes, as: UTF8.self)
            checkLogBatch(body)
            checkLogMetric(body)
            checkNativeBatch(body)
        }
    }

    @Test("Mutated valid bodies never crash, and what the readers accept agrees with JSONDecoder")
    func mutations() {
        var generator = BodyGenerator(seed: 0x1A7B_0003)
        var rng = FuzzRandom(seed: 0x1A7B_0004)
        let pool = [
            "{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "-", "0", "1e999", "\"NaN\"", "\"key\"",
            "\"value\"", "\"timestamp\"", "\"step\"", "\"run_id\"", "\"metrics\"", "\\u00e9", "\\ud83c", " ", "é",
        ]
        for _ in 0..<5_000 {
            var body = Array(generator.logBatch(runID: Self.runID).utf8)
            for _ in 0..<rng.int(1...3) {
                let position = rng.int(0...body.count)
                switch rng.int(0...2) {
                case 0 where position < body.count: body.remove(at: position)
                case 1: body.insert(contentsOf: Array(rng.pick(pool).utf8), at: position)
                default: if position < body.count { body[position] = rng.pick(Array("{}[]:,\"0-.eN ".utf8)) }
                }
            }
            let text = String(decoding: body, as: UTF8.self)
            checkLogBatch(text)
            checkNativeBatch(text)
            // A metric of the batch, lifted to the top with the run id, is a log-metric body.
            if let open = text.firstIndex(of: "["), let close = text[open...].firstIndex(of: "}") {
                let metric = text[text.index(after: open)...close]
                checkLogMetric(#"{"run_id": "\#(Self.runID)", "# + metric.dropFirst())
            }
        }
    }
}

/// SplitMix64: tiny, seedable, and the same on every platform.
struct FuzzRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func pick<Element>(_ elements: [Element]) -> Element { elements[int(0...elements.count - 1)] }

    mutating func chance(_ probability: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < probability }
}

/// Writes log-batch bodies in the many ways clients spell them.
struct BodyGenerator {
    private var rng: FuzzRandom

    init(seed: UInt64) { rng = FuzzRandom(seed: seed) }

    mutating func logBatch(runID: String) -> String {
        var members = [#""run_id": "\#(runID)""#]
        if rng.chance(0.9) { members.append(#""metrics": \#(list { $0.metric() })"#) }
        if rng.chance(0.5) { members.append(#""params": \#(list { $0.pair() })"#) }
        if rng.chance(0.5) { members.append(#""tags": \#(list { $0.pair() })"#) }
        if rng.chance(0.2) { members.append(#""run_uuid": "\#(runID)""#) }
        if rng.chance(0.2) { members.append(#""extra": \#(unknownValue())"#) }
        return "{" + shuffled(members).joined(separator: space() + "," + space()) + "}"
    }

    private mutating func list(_ element: (inout BodyGenerator) -> String) -> String {
        if rng.chance(0.05) { return "null" }
        var elements: [String] = []
        for _ in 0..<rng.int(0...12) { elements.append(element(&self)) }
        return "[" + space() + elements.joined(separator: "," + space()) + "]"
    }

    private mutating func metric() -> String {
        var members = [
            #""key": \#(string())"#, #""value": \#(value())"#, #""timestamp": \#(integer(nonNegative: true))"#,
        ]
        if rng.chance(0.7) { members.append(#""step": \#(rng.chance(0.1) ? "null" : integer(nonNegative: false))"#) }
        if rng.chance(0.2) { members.append(#""run_id": "x""#) }
        if rng.chance(0.1) { members.append(#""dataset_name": \#(unknownValue())"#) }
        return "{" + shuffled(members).joined(separator: "," + space()) + "}"
    }

    private mutating func pair() -> String {
        var members = [#""key": \#(string())"#]
        if rng.chance(0.9) { members.append(#""value": \#(rng.chance(0.1) ? "null" : string())"#) }
        return "{" + shuffled(members).joined(separator: ", ") + "}"
    }

    private mutating func string() -> String {
        let pieces = ["a", "loss", "val/acc", "é", "日本", "🌍", "\\n", "\\\"", "\\u00e9", "\\ud83c\\udf0d", "\\/", " "]
        return "\"" + (0..<rng.int(1...4)).map { _ in rng.pick(pieces) }.joined() + "\""
    }

    private mutating func value() -> String {
        switch rng.int(0...7) {
        case 0: return "\"NaN\""
        case 1: return rng.chance(0.5) ? "\"Infinity\"" : "\"-Infinity\""
        case 2: return String(rng.int(-1_000_000...1_000_000))
        case 3: return "\(Double(bitPattern: rng.next() >> 2 | 0x3000_0000_0000_0000))"
        case 4: return "\(rng.int(0...999)).\(rng.int(0...99999))e\(rng.int(-30...30))"
        case 5: return "-0"
        case 6: return "\(Double(rng.int(-99999...99999)) / 1000)"
        default: return "0.\(rng.int(0...99_999_999))\(rng.int(0...99_999_999))"
        }
    }

    private mutating func integer(nonNegative: Bool) -> String {
        let number = nonNegative ? rng.int(0...Int(Int32.max)) : rng.int(-1000...Int(Int32.max))
        return rng.chance(0.2) ? "\"\(number)\"" : "\(number)"
    }

    private mutating func unknownValue() -> String {
        rng.pick([#"{"a": [1, 2.5, true, false, null, "x"]}"#, "[]", "{}", "-1.5e3", #""\u0041""#, "null"])
    }

    private mutating func space() -> String { rng.pick(["", " ", "\n  ", "\t"]) }

    private mutating func shuffled(_ members: [String]) -> [String] {
        var members = members
        for index in members.indices.reversed() where index > 0 {
            members.swapAt(index, rng.int(0...index))
        }
        return members
    }
}
