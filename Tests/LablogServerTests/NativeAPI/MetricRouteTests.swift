import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("Native API: metrics and params")
struct MetricRouteTests {
    @Test("A batch may be a bare array or {\"metrics\": [...]}; step and timestamp default")
    func logBatch() async throws {
        try await withTestApp { client, _ in
            let runID = try await client.createRun(in: try await client.createExperiment("e"))
            let run = RunID(runID)!
            let bare = try await client.send(
                .post, Paths.runMetrics(run),
                body: #"[{"key": "loss", "value": 1.5, "step": 1, "timestamp": 1767225600000},"#
                    + #" {"key": "loss", "value": 1.0, "step": 2, "timestamp": 1767225601000}]"#)
            #expect(bare.status == .ok)
            #expect(try bare.canonicalBody() == #"{"logged":2}"#)

            let wrapped = try await client.send(
                .post, Paths.runMetrics(run), body: #"{"metrics": [{"key": "acc", "value": 3}]}"#)
            #expect(try wrapped.canonicalBody() == #"{"logged":1}"#)

            let shown = try #require(try await client.getJSON(Paths.run(run)) as? [String: Any])
            #expect(canonical(shown["metrics"]) == canonical(["acc": 3, "loss": 1.0]))
            let latest = try #require(shown["latest_metrics"] as? [[String: Any]])
            #expect(latest.map { $0["key"] as? String } == ["acc", "loss"])
            #expect(latest[0]["step"] as? Int == 0)
            #expect(latest[1]["step"] as? Int == 2)
            #expect(latest[1]["timestamp"] as? String == "2026-01-01T00:00:01.000Z")
        }
    }

    @Test("NaN and ±Infinity go in as MLflow's strings (or Python's bare literals) and come back as strings")
    func nonFiniteRoundTrip() async throws {
        try await withTestApp { client, _ in
            let runID = try await client.createRun(in: try await client.createExperiment("e"))
            let run = RunID(runID)!
            try await client.logMetrics(
                to: runID,
                #"[{"key": "m", "value": "NaN", "step": 0}, {"key": "m", "value": "Infinity", "step": 1},"#
                    + #" {"key": "m", "value": "-Infinity", "step": 2}, {"key": "m", "value": "-inf", "step": 3}]"#)
            try await client.logMetrics(to: runID, #"[{"key": "m", "value": NaN, "step": 4}]"#)
            let history = try await client.send(.get, Paths.runMetricHistory(run, key: "m"))
            let values = try #require(try history.json() as? [[String: Any]]).map { "\($0["value"]!)" }
            #expect(values == ["NaN", "Infinity", "-Infinity", "-Infinity", "NaN"])
            let shown = try #require(try await client.getJSON(Paths.run(run)) as? [String: Any])
            #expect((shown["metrics"] as? [String: Any])?["m"] as? String == "NaN")
        }
    }

    @Test("History of a key with '/' and a space, with from_step, to_step and pagination")
    func history() async throws {
        try await withTestApp { client, _ in
            let runID = try await client.createRun(in: try await client.createExperiment("e"))
            let run = RunID(runID)!
            let points = (0..<10).map { #"{"key": "train/loss avg", "value": \#($0), "step": \#($0), "timestamp": 5}"# }
            try await client.logMetrics(to: runID, "[" + points.joined(separator: ",") + "]")

            let path = Paths.runMetricHistory(run, key: "train/loss avg")
            #expect(path.hasSuffix("/metrics/train%2Floss%20avg"))
            let all = try await client.send(.get, path)
            #expect(all.status == .ok)
            let items = try #require(try all.json() as? [[String: Any]])
            #expect(items.count == 10)
            #expect(
                canonical(items[3]) == canonical(["value": 3, "step": 3, "timestamp": "1970-01-01T00:00:00.005Z"]))

            let range = try await client.getList(path + "?from_step=2&to_step=5")
            #expect(range.compactMap { $0["step"] as? Int } == [2, 3, 4, 5])

            let pages = try await client.getAllPages(path + "?limit=4")
            #expect(pages.map(\.count) == [4, 4, 2])
            #expect(pages.flatMap { $0 }.compactMap { $0["step"] as? Int } == Array(0..<10))

            for query in ["from_step=a", "limit=0", "limit=100001", "cursor=zzz"] {
                try expectError(try await client.send(.get, path + "?" + query), .badRequest, code: "BAD_REQUEST")
            }
            try expectError(
                try await client.send(.get, Paths.runMetricHistory(RunID(Pinned.runID(99))!, key: "m")), .notFound,
                code: "RUN_NOT_FOUND")
        }
    }

    @Test("Metric batch failures: 10,001 points, bad key, missing value, bad step, unknown run")
    func logFailures() async throws {
        try await withTestApp { client, _ in
            let runID = try await client.createRun(in: try await client.createExperiment("e"))
            let path = Paths.runMetrics(RunID(runID)!)
            let point = #"{"key": "m", "value": 1}"#
            let tooMany =
                "[" + Array(repeating: point, count: Limits.maxMetricsPerNativeBatch + 1).joined(separator: ",")
                + "]"
            try expectError(
                try await client.send(.post, path, body: tooMany), .unprocessableContent, code: "VALIDATION_FAILED",
                field: "metrics")
            let atLimit =
                "["
                + (0..<Limits.maxMetricsPerNativeBatch).map { #"{"key": "m", "value": 1, "step": \#($0)}"# }
                .joined(separator: ",") + "]"
            let accepted = try await client.send(.post, path, body: atLimit)
            #expect(try accepted.canonicalBody() == #"{"logged":10000}"#)

            try expectError(
                try await client.send(.post, path, body: #"[{"key": "a*b", "value": 1}]"#), .unprocessableContent,
                code: "VALIDATION_FAILED")
            try expectError(
                try await client.send(.post, path, body: #"[{"key": "m"}]"#), .unprocessableContent,
                code: "VALIDATION_FAILED", field: "[0].value")
            try expectError(
                try await client.send(.post, path, body: #"{"metrics": [\#(point), {"key": "m", "value": "high"}]}"#),
                .unprocessableContent, code: "VALIDATION_FAILED", field: "metrics[1].value")
            try expectError(
                try await client.send(.post, path, body: #"[{"key": "m", "value": 1, "step": 1.5}]"#),
                .unprocessableContent, code: "VALIDATION_FAILED", field: "[0].step")
            try expectError(
                try await client.send(.post, path, body: #"{"points": []}"#), .unprocessableContent,
                code: "VALIDATION_FAILED", field: "metrics")
            try expectError(try await client.send(.post, path, body: "[{]"), .badRequest, code: "MALFORMED_JSON")
            try expectError(try await client.send(.post, path, body: ""), .badRequest, code: "MALFORMED_JSON")
            try expectError(
                try await client.send(.post, path, body: "[]", contentType: "text/plain"), .unsupportedMediaType,
                code: "UNSUPPORTED_MEDIA_TYPE")
            #expect(try await client.send(.post, path, body: "[]").status == .ok)
            try expectError(
                try await client.send(.post, Paths.runMetrics(RunID(Pinned.runID(404))!), body: "[\(point)]"),
                .notFound, code: "RUN_NOT_FOUND")
        }
    }

    @Test("Params: values are stringified, the same value again is fine, a different one is 409")
    func params() async throws {
        try await withTestApp { client, _ in
            let runID = try await client.createRun(in: try await client.createExperiment("e"))
            let path = Paths.runParams(RunID(runID)!)
            let logged = try await client.send(
                .post, path, body: #"{"params": {"lr": 0.01, "epochs": 10, "amp": false, "opt": "adam"}}"#)
            #expect(logged.status == .ok)
            #expect(try logged.canonicalBody() == #"{"logged":4}"#)
            let again = try await client.send(.post, path, body: #"{"params": {"lr": "0.01"}}"#)
            #expect(again.status == .ok)
            let shown = try #require(try await client.getJSON(Paths.run(RunID(runID)!)) as? [String: Any])
            #expect(
                canonical(shown["params"]) == canonical(["amp": "false", "epochs": "10", "lr": "0.01", "opt": "adam"]))

            let conflict = try await client.send(.post, path, body: #"{"params": {"lr": "0.1"}}"#)
            try expectError(conflict, .conflict, code: "PARAM_CONFLICT")
            #expect((try conflict.jsonObject()["error"] as? String)?.contains("0.01") == true)

            try expectError(
                try await client.send(.post, path, body: #"{"lr": 1}"#), .unprocessableContent,
                code: "VALIDATION_FAILED", field: "params")
            try expectError(
                try await client.send(.post, path, body: #"{"params": {"x": [1]}}"#), .unprocessableContent,
                code: "VALIDATION_FAILED", field: "params.x")
        }
    }
}

/// A JSON value re-serialized with sorted keys, so values compare regardless of key order and number type.
func canonical(_ value: Any?) -> String {
    guard let value,
        let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
    else { return "nil" }
    return String(decoding: data, as: UTF8.self)
}
