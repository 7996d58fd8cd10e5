import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LablogCore
import LablogServer
import Synchronization
import Testing

extension TestClientProtocol {
    /// POSTs a JSON body to an MLflow endpoint.
    func mlflowPost(_ path: String, _ body: String) async throws -> TestResponse {
        try await send(.post, path, body: body)
    }

    /// GETs an MLflow endpoint with a query string written as a client would encode it.
    func mlflowGet(_ path: String, _ query: String) async throws -> TestResponse {
        try await send(.get, query.isEmpty ? path : path + "?" + query)
    }

    /// POSTs, requires MLflow's success (exactly 200, a JSON object) and returns the object.
    @discardableResult
    func mlflowCall(
        _ path: String, _ body: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        try mlflowSuccess(try await mlflowPost(path, body), sourceLocation: sourceLocation)
    }

    /// GETs, requires MLflow's success and returns the object.
    func mlflowFetch(
        _ path: String, _ query: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        try mlflowSuccess(try await mlflowGet(path, query), sourceLocation: sourceLocation)
    }

    /// Creates an experiment through MLflow's API and returns its id.
    func mlflowCreateExperiment(_ name: String, _ extra: String = "") async throws -> String {
        let members = extra.isEmpty ? "" : ", " + extra
        let answer = try await mlflowCall(MLflowPaths.experimentsCreate, #"{"name": \#(jsonLiteral(name))\#(members)}"#)
        return try #require(answer["experiment_id"] as? String)
    }

    /// Creates a run through MLflow's API and returns its id.
    func mlflowCreateRun(_ experimentID: String, _ extra: String = "") async throws -> String {
        let members = extra.isEmpty ? "" : ", " + extra
        let answer = try await mlflowCall(
            MLflowPaths.runsCreate, #"{"experiment_id": "\#(experimentID)", "start_time": 1000\#(members)}"#)
        let info = try #require((answer["run"] as? [String: Any])?["info"] as? [String: Any])
        return try #require(info["run_id"] as? String)
    }

    /// The `run.info` object of runs/get.
    func mlflowRunInfo(_ runID: String) async throws -> [String: Any] {
        try #require(try await mlflowRun(runID)["info"] as? [String: Any])
    }

    /// The `run` object of runs/get.
    func mlflowRun(_ runID: String) async throws -> [String: Any] {
        try #require(try await mlflowFetch(MLflowPaths.runsGet, "run_id=\(runID)")["run"] as? [String: Any])
    }
}

/// Requires MLflow's success shape and returns the object.
func mlflowSuccess(
    _ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation
) throws -> [String: Any] {
    try #require(response.status == .ok, "\(response.status): \(response.text)", sourceLocation: sourceLocation)
    #expect(response.header("Content-Type")?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
    return try response.jsonObject()
}

/// Checks MLflow's error shape: the status, `error_code`, and a non-empty `message`, and nothing of the native shape.
func expectTrackingError(
    _ response: TestResponse, _ status: HTTPResponse.Status, _ code: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
    let body = try response.jsonObject()
    #expect(body["error_code"] as? String == code, "\(response.text)", sourceLocation: sourceLocation)
    #expect((body["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    #expect(Set(body.keys) == ["error_code", "message"], "\(response.text)", sourceLocation: sourceLocation)
}

/// `{key: value}` of a list of `{"key", "value"}` objects.
func keyValues(_ list: Any?) -> [String: String] {
    var result: [String: String] = [:]
    for entry in list as? [[String: Any]] ?? [] {
        if let key = entry["key"] as? String { result[key] = entry["value"] as? String ?? "" }
    }
    return result
}

/// `{key: value}` of a list of metric objects; NaN and the infinities stay the strings they travel as.
func metricValues(_ list: Any?) -> [String: String] {
    var result: [String: String] = [:]
    for entry in list as? [[String: Any]] ?? [] {
        guard let key = entry["key"] as? String else { continue }
        result[key] = entry["value"].map { "\($0)" } ?? ""
    }
    return result
}

/// A clock that moves one second forward at every reading, from a point after any real clock, so that things made
/// one after another have distinct times and sort after the Default experiment the migration creates.
enum Ticking {
    static let start: Int64 = 4_000_000_000_000

    static func environment() -> StoreEnvironment {
        let sequence = RunIDSequence()
        let ticks = Mutex<Int64>(0)
        return StoreEnvironment(
            now: {
                ticks.withLock { value in
                    value += 1
                    return start + value * 1000
                }
            }, makeRunID: { sequence.next() })
    }
}

/// A parsed JSON value serialized with sorted keys, to compare with ``canonicalJSON(_:)``.
func canonicalText(_ value: Any) throws -> String {
    let data = try JSONSerialization.data(
        withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
}
