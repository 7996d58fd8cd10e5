import Foundation
import Hummingbird
import LablogCore
import Testing

@testable import LablogServer

@Suite("Native API: metric batch fast path")
struct MetricBatchParserTests {
    private static let now: Int64 = 42

    /// What the general decoder makes of `body`, or nil when it refuses it.
    private func decoded(_ body: String) -> [MetricPoint]? {
        try? WireJSON.decode(MetricBatchRequest.self, from: ByteBuffer(string: body)).points.map {
            $0.point(defaultTimestamp: Self.now)
        }
    }

    private func fast(_ body: String) -> [MetricPoint]? {
        MetricBatchParser.parse(ByteBuffer(string: body), defaultTimestamp: Self.now)
    }

    @Test(
        "Plain batches take the fast path and give what the general decoder gives",
        arguments: [
            #"[]"#,
            #"{"metrics": []}"#,
            #"[{"key": "loss", "value": 0.25, "step": 3, "timestamp": 1767225600000}]"#,
            #" [ {"timestamp":5,"step":-2,"value":-1.5e-3,"key":"a/b c"} , {"key":"x","value":7} ] "#,
            #"{"metrics":[{"key":"m","value":"NaN"},{"key":"m","value":"Infinity"},{"key":"m","value":"-Infinity"}]}"#,
            #"[{"key": "é/ü", "value": 123456789012345678901234567890}]"#,
            #"[{"key": "k", "value": 0.1}, {"key": "k", "value": 1E+2}, {"key": "k", "value": -0}]"#,
            #"[{"key": "k", "value": 9007199254740993}, {"key": "k", "value": -9223372036854775808}]"#,
            #"[{"key": "k", "value": 1, "step": 9223372036854775807, "timestamp": 0}]"#,
            #"[{"key": "m\u00e9\n\"\/\ud83c\udf0d", "value": 1}]"#,
        ])
    func agreesWithDecoder(body: String) throws {
        let fastPoints = try #require(fast(body))
        let decodedPoints = try #require(decoded(body))
        #expect(fastPoints == decodedPoints)
        // == treats NaNs as equal; compare signs of zero and bit patterns too.
        #expect(fastPoints.map(\.value.bitPattern) == decodedPoints.map(\.value.bitPattern))
    }

    @Test(
        "Anything unusual is left to the general decoder",
        arguments: [
            #"[{"key": "m", "value": 1, "extra": true}]"#,
            #"[{"key": "m", "value": 1, "key": "n"}]"#,
            #"[{"key": "m", "value": "inf"}]"#,
            #"[{"key": "m", "value": 1, "step": 1.0}]"#,
            #"[{"key": "m", "value": 1, "step": 1e3}]"#,
            #"[{"key": "m", "value": 1, "timestamp": null}]"#,
            #"[{"key": "m", "value": 1},]"#,
            #"[{"key": "m", "value": NaN}]"#,
            #"[{"key": "m"}]"#,
            #"[{"key": "m", "value": 01}]"#,
            #"[{"key": "m", "value": 1}] x"#,
            #"{"metrics": [], "more": 1}"#,
            #"[{"key": "m", "value": 1, "step": 99999999999999999999}]"#,
            "[{\"key\": \"tab\there\", \"value\": 1}]",
            #"[{"key": "m", "value": 1"#,
            "",
        ])
    func fallsBack(body: String) {
        #expect(fast(body) == nil)
    }

    @Test("More points than a request may carry are left to the general decoder, which refuses them")
    func overLimit() {
        let point = #"{"key": "m", "value": 1}"#
        let body =
            "[" + Array(repeating: point, count: Limits.maxMetricsPerNativeBatch + 1).joined(separator: ",") + "]"
        #expect(fast(body) == nil)
        #expect(decoded(body) == nil)
    }

    @Test("Random plain batches agree with the general decoder")
    func randomBatches() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let points = (0..<Int.random(in: 1...40, using: &generator)).map { _ in
                let value: String =
                    switch Int.random(in: 0..<4, using: &generator) {
                    case 0: String(Double.random(in: -1e6...1e6, using: &generator))
                    case 1: String(Int64.random(in: .min ... .max, using: &generator))
                    case 2:
                        "\(Double.random(in: 0...1, using: &generator))e-\(Int.random(in: 0...300, using: &generator))"
                    default: #""NaN""#
                    }
                let step = Int64.random(in: -1000...1_000_000, using: &generator)
                return
                    #"{"key": "k\#(Int.random(in: 0...9, using: &generator))", "value": \#(value), "step": \#(step)}"#
            }
            let body = "[" + points.joined(separator: ", ") + "]"
            let fastPoints = try #require(fast(body), "\(body)")
            #expect(fastPoints == decoded(body), "\(body)")
        }
    }
}
