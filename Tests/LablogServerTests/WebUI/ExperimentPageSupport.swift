import Foundation
import LablogCore

/// Attack strings for the escaping tests: a script element and an attribute breaker.
enum Payloads {
    static let script = "<script>alert(1)</script>"
    static let attribute = "\"><img src=x onerror=alert(1)>"
    static let quote = "x' onmouseover='alert(1)"
}

/// Runs seeded straight into the store for the page tests.
struct SeededRun {
    var name: String
    var params: [String: String] = [:]
    var metrics: [String: Double] = [:]
    var tags: [String: String] = [:]
}

extension TrackingStore {
    /// Creates an experiment with the runs, the first run started earliest; returns the experiment and run ids.
    func seed(experiment name: String, runs: [SeededRun]) async throws -> (ExperimentID, [RunID]) {
        let experiment = try await createExperiment(NewExperiment(name: name))
        var ids: [RunID] = []
        for (index, seeded) in runs.enumerated() {
            let start = 1_790_000_000_000 + Int64(index) * 1000
            let metrics = seeded.metrics.map { MetricPoint(key: $0.key, value: $0.value, step: 0, timestamp: start) }
            let run = try await createRun(
                NewRun(
                    experimentID: experiment.id, name: seeded.name, status: .finished, startTime: start,
                    params: seeded.params.map { KeyValue(key: $0.key, value: $0.value) },
                    tags: seeded.tags.map { KeyValue(key: $0.key, value: $0.value) }, metrics: metrics))
            ids.append(run.id)
        }
        return (experiment.id, ids)
    }
}

/// Small string helpers for checking rendered pages.
extension String {
    /// How many times `needle` occurs.
    func occurrences(of needle: String) -> Int {
        components(separatedBy: needle).count - 1
    }

    /// The offset of the first `needle`, or nil.
    func offset(of needle: String) -> Int? {
        range(of: needle).map { distance(from: startIndex, to: $0.lowerBound) }
    }

    /// The text from the first `start` up to the next `end` (exclusive), or "".
    func slice(from start: String, to end: String) -> String {
        guard let lower = range(of: start) else { return "" }
        guard let upper = self[lower.upperBound...].range(of: end) else { return String(self[lower.lowerBound...]) }
        return String(self[lower.lowerBound..<upper.lowerBound])
    }

    /// The URL of the link with `rel="<rel>"`, with `&amp;` decoded, or nil.
    func link(rel: String) -> String? {
        guard let marker = range(of: "\" rel=\"\(rel)\"") else { return nil }
        let before = self[..<marker.lowerBound]
        guard let start = before.range(of: "href=\"", options: .backwards) else { return nil }
        return String(before[start.upperBound...]).replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The `Location` query value of `name` in a redirect target, decoded.
    func queryValue(_ name: String) -> String? {
        URLComponents(string: self)?.queryItems?.first { $0.name == name }?.value
    }
}
