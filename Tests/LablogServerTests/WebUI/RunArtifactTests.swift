import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import Testing

@testable import LablogServer

@Suite("Run page: artifacts")
struct RunArtifactTests {
    @Test("The run folder is listed with download links; folders are browsable through the path parameter")
    func listing() async throws {
        try await RunPageScenario.run { scenario in
            let run = try await scenario.makeRun()
            try scenario.writeArtifact(run, "notes.txt", "hello")
            try scenario.writeArtifact(run, "model/weights.bin", "0123456789")
            let folder = "\(run.experimentID)/\(run.id.rawValue)/artifacts"
            let html = try await scenario.page(run)
            #expect(html.contains("<td><a href=\"/runs/\(run.id.rawValue)?path=model#artifacts\">model/</a></td>"))
            #expect(html.contains("<a href=\"/runs/\(run.id.rawValue)?path=notes.txt#artifacts\">notes.txt</a>"))
            #expect(html.contains("<td class=\"num\">5 B</td>"))
            #expect(html.contains("href=\"/api/2.0/mlflow-artifacts/artifacts/\(folder)/notes.txt\" download"))
            let inner = try await scenario.page(run, query: "?path=model")
            #expect(inner.contains("<a href=\"/runs/\(run.id.rawValue)?path=model#artifacts\">model</a> / "))
            #expect(inner.contains("href=\"/api/2.0/mlflow-artifacts/artifacts/\(folder)/model/weights.bin\" download"))
            #expect(inner.contains("<td class=\"num\">10 B</td>"))
            // The download link works through the artifact proxy.
            let download = try await scenario.client.send(
                .get, "/api/2.0/mlflow-artifacts/artifacts/\(folder)/notes.txt")
            #expect(download.text == "hello")
        }
    }

    @Test("Text, JSON, CSV and images are previewed; other files are offered for download")
    func previews() async throws {
        try await RunPageScenario.run { scenario in
            let run = try await scenario.makeRun()
            try scenario.writeArtifact(run, "log.txt", "epoch 1\nepoch 2")
            try scenario.writeArtifact(run, "config.json", "{\"b\":1,\"a\":[true]}")
            try scenario.writeArtifact(
                run, "table.csv", "name,score\n\"x, y\",1\n" + (0..<150).map { "r\($0),\($0)\n" }.joined())
            try scenario.writeArtifact(run, "plot.png", "not really a png")
            try scenario.writeArtifact(run, "blob.bin", "\u{0}\u{1}")
            let folder = "\(run.experimentID)/\(run.id.rawValue)/artifacts"

            let text = try await scenario.page(run, query: "?path=log.txt")
            #expect(text.contains("<section class=\"card artifact-preview\" aria-label=\"Preview of log.txt\">"))
            #expect(text.contains("overflow-wrap:anywhere\">epoch 1\nepoch 2</pre>"))

            let json = try await scenario.page(run, query: "?path=config.json")
            #expect(json.contains("{\n  &quot;a&quot; : [\n    true\n  ],\n  &quot;b&quot; : 1\n}</pre>"))

            let csv = try await scenario.page(run, query: "?path=table.csv")
            #expect(csv.contains("<thead><tr><th scope=\"col\">name</th><th scope=\"col\">score</th></tr></thead>"))
            #expect(csv.contains("<tr><td>x, y</td><td>1</td></tr>"))
            #expect(csv.contains("<tr><td>r98</td><td>98</td></tr>"))
            #expect(!csv.contains("<td>r99</td>"), "more than 100 rows shown")

            let image = try await scenario.page(run, query: "?path=plot.png")
            #expect(
                image.contains("<img src=\"/api/2.0/mlflow-artifacts/artifacts/\(folder)/plot.png\" alt=\"plot.png\""))

            let binary = try await scenario.page(run, query: "?path=blob.bin")
            #expect(binary.contains("No preview for this kind of file; download it instead."))
        }
    }

    @Test("Previews stop at 64 KB and say so")
    func capped() async throws {
        try await RunPageScenario.run { scenario in
            let run = try await scenario.makeRun()
            try scenario.writeArtifact(run, "big.log", String(repeating: "a", count: 70_000) + "TAIL")
            let html = try await scenario.page(run, query: "?path=big.log")
            #expect(html.contains("Preview of the first 64 KB only."))
            #expect(html.contains(String(repeating: "a", count: 65_536) + "</pre>"))
            #expect(!html.contains("TAIL"))
        }
    }

    @Test("Empty runs, missing and hostile paths show a message, never another folder")
    func messages() async throws {
        try await RunPageScenario.run { scenario in
            let run = try await scenario.makeRun()
            #expect(try await scenario.page(run).contains("This run has no artifacts."))
            try scenario.writeArtifact(run, "a.txt", "a")
            #expect(try await scenario.page(run, query: "?path=nope.txt").contains("No artifact at that path."))
            for hostile in ["..", "../..", "%2e%2e/%2e%2e", "/etc", "a/../../x"] {
                let html = try await scenario.page(run, query: "?path=" + hostile)
                #expect(html.contains("That artifact path is not valid."), "\(hostile)")
            }
        }
    }
}
