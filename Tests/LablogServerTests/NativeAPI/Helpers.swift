import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LablogCore
import LablogServer
import Synchronization
import Testing

/// A frozen clock and sequential run ids, so whole response bodies can be written out in tests.
enum Pinned {
    /// 2026-01-01T00:00:00.000Z in epoch milliseconds.
    static let now: Int64 = 1_767_225_600_000
    static let nowText = "2026-01-01T00:00:00.000Z"

    /// A store environment whose clock always reads ``now`` and whose run ids count up from 1.
    static func environment() -> StoreEnvironment {
        let sequence = RunIDSequence()
        return StoreEnvironment(now: { now }, makeRunID: { sequence.next() })
    }

    /// The `n`th run id the pinned environment hands out.
    static func runID(_ n: Int) -> String {
        let digits = String(n, radix: 16)
        return String(repeating: "0", count: 32 - digits.count) + digits
    }
}

/// Hands out run ids 1, 2, 3, ... as 32-character hex.
final class RunIDSequence: Sendable {
    private let counter = Mutex(0)

    func next() -> RunID {
        let n = counter.withLock { value in
            value += 1
            return value
        }
        return RunID(Pinned.runID(n))!
    }
}

/// Runs `body` against the real application with the pinned clock and run ids.
func withPinnedApp<Value>(
    _ body: @Sendable (any TestClientProtocol, any TrackingStore) async throws -> Value
) async throws -> Value {
    try await withTestApp(environment: Pinned.environment(), body)
}

extension TestClientProtocol {
    /// Creates an experiment and returns its id; `extra` holds more JSON members, e.g. `"status": "failed"`.
    @discardableResult
    func createExperiment(_ name: String, _ extra: String = "") async throws -> Int64 {
        let members = extra.isEmpty ? "" : ", " + extra
        let response = try await send(.post, Paths.experiments, body: #"{"name": \#(jsonLiteral(name))\#(members)}"#)
        try #require(response.status == .created, "creating \(name): \(String(buffer: response.body))")
        return try #require(try response.jsonObject()["id"] as? Int64)
    }

    /// Creates a run in the experiment from a legacy body and returns its id.
    @discardableResult
    func createRun(in experimentID: Int64, _ body: String = "{}") async throws -> String {
        let response = try await send(.post, Paths.experimentRuns(experimentID), body: body)
        try #require(response.status == .created, "creating a run: \(String(buffer: response.body))")
        return try #require(try response.jsonObject()["id"] as? String)
    }

    /// Logs a metric batch and requires success.
    func logMetrics(to runID: String, _ body: String) async throws {
        let response = try await send(.post, Paths.runMetrics(RunID(runID)!), body: body)
        try #require(response.status == .ok, "logging metrics: \(String(buffer: response.body))")
    }

    /// GETs `uri`, requires 200, and returns the parsed JSON.
    func getJSON(_ uri: String) async throws -> Any {
        let response = try await send(.get, uri)
        try #require(response.status == .ok, "GET \(uri): \(response.status) \(String(buffer: response.body))")
        return try response.json()
    }

    /// GETs a list endpoint and returns its items.
    func getList(_ uri: String) async throws -> [[String: Any]] {
        try #require(try await getJSON(uri) as? [[String: Any]])
    }

    /// Follows `Link: rel="next"` from `uri` until the last page and returns every page's items.
    func getAllPages(_ uri: String, maxPages: Int = 100) async throws -> [[[String: Any]]] {
        var pages: [[[String: Any]]] = []
        var next: String? = uri
        while let current = next, pages.count < maxPages {
            let response = try await send(.get, current)
            try #require(response.status == .ok, "GET \(current): \(String(buffer: response.body))")
            pages.append(try #require(try response.json() as? [[String: Any]]))
            next = response.nextLink
        }
        return pages
    }
}

extension TestResponse {
    /// The target of the `Link: <...>; rel="next"` header, if any.
    var nextLink: String? {
        guard let link = header("Link"), link.hasSuffix(#"; rel="next""#), link.hasPrefix("<"),
            let end = link.firstIndex(of: ">")
        else { return nil }
        return String(link[link.index(after: link.startIndex)..<end])
    }

    /// The body as UTF-8 text.
    var text: String { String(buffer: body) }
}

/// Checks that `response` is an error in the one error format with the given status and code (and field).
func expectError(
    _ response: TestResponse, _ status: HTTPResponse.Status, code: String, field: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
    let body = try response.jsonObject()
    #expect(body["code"] as? String == code, "\(response.text)", sourceLocation: sourceLocation)
    #expect((body["error"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    if let field {
        #expect(body["field"] as? String == field, "\(response.text)", sourceLocation: sourceLocation)
    }
}

/// `text` as a JSON string literal.
func jsonLiteral(_ text: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
    return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
}

/// The keys of a list of JSON objects' `key` members, in order.
func names(_ items: [[String: Any]], key: String = "name") -> [String] {
    items.compactMap { $0[key] as? String }
}
