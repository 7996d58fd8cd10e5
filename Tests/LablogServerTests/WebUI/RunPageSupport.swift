import Foundation
import HummingbirdTesting
import LablogCore
import Testing

@testable import LablogServer

/// A run page scenario: the real app with its artifact root in a temporary folder.
struct RunPageScenario {
    let client: any TestClientProtocol
    let store: any TrackingStore
    let artifactRoot: URL

    /// Runs `body` against the real application with a fresh artifact root.
    static func run(_ body: @Sendable (RunPageScenario) async throws -> Void) async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("lablog-run-page-\(UUID())")
        defer { try? FileManager.default.removeItem(at: base) }
        let configuration = ServerConfiguration(port: 0, artifactsDirectory: base.path)
        try await withTestApp(configuration: configuration) { client, store in
            try await body(RunPageScenario(client: client, store: store, artifactRoot: base))
        }
    }

    /// An experiment with one run, created through the store.
    func makeRun(
        name: String = "baseline", status: RunStatus = .running, parent: RunID? = nil, params: [KeyValue] = [],
        tags: [KeyValue] = [], experiment: ExperimentID? = nil
    ) async throws -> Run {
        let experimentID: ExperimentID
        if let experiment {
            experimentID = experiment
        } else {
            experimentID = try await store.createExperiment(NewExperiment(name: "exp-\(UUID())")).id
        }
        var allTags = tags
        if let parent { allTags.append(KeyValue(key: RunTagKeys.parentRunID, value: parent.rawValue)) }
        var run = try await store.createRun(
            NewRun(
                experimentID: experimentID, name: name, startTime: 1_764_000_000_000, parentRunID: parent,
                params: params, tags: allTags))
        if status != .running {
            run = try await store.updateRun(id: run.id, RunUpdate(status: status, endTime: 1_764_000_090_000))
        }
        return run
    }

    /// Logs `values` of `key` at steps 0, 1, 2, ...
    func log(_ run: Run, _ key: String, _ values: [Double]) async throws {
        let points = values.enumerated().map {
            MetricPoint(
                key: key, value: $0.element, step: Int64($0.offset), timestamp: 1_764_000_000_000 + Int64($0.offset))
        }
        try await store.logBatch(runID: run.id, metrics: points, params: [], tags: [])
    }

    /// Writes an artifact file of the run (below `<root>/<experiment>/<run>/artifacts`).
    func writeArtifact(_ run: Run, _ path: String, _ contents: String) throws {
        let file = artifactRoot.appendingPathComponent("\(run.experimentID)/\(run.id.rawValue)/artifacts/\(path)")
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: file)
    }

    /// The run page's HTML, checked to be a 200 page with no external URLs.
    func page(_ run: Run, query: String = "", sourceLocation: SourceLocation = #_sourceLocation) async throws -> String
    {
        let response = try await client.fetchPage(WebPaths.run(run.id) + query)
        PageChecks.expectHTML(response, sourceLocation: sourceLocation)
        PageChecks.expectNoExternalURLs(response.text, sourceLocation: sourceLocation)
        return response.text
    }
}
