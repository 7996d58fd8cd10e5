import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import Testing

@testable import LablogServer

@Suite("Run page: user strings stay inert")
struct RunPageEscapingTests {
    static let payloads = [
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' onmouseover='alert(1)",
        "</svg><script>alert(1)</script>",
    ]

    /// Keys may not hold markup characters (the store refuses them), so payloads go into values, names and
    /// artifact file names; metric keys get the characters keys allow that matter in URLs and markup.
    static let metricKeys = ["train/loss: a b", "val.acc-1_x"]

    @Test("Payloads in the run name, params, tags, metric keys and artifact names are escaped everywhere")
    func payloadsAreInert() async throws {
        try await RunPageScenario.run { scenario in
            let joined = Self.payloads.joined()
            let parent = try await scenario.makeRun(name: "parent" + joined)
            let run = try await scenario.makeRun(
                name: joined, parent: parent.id,
                params: Self.payloads.enumerated().map { KeyValue(key: "p\($0.offset)", value: $0.element) },
                tags: Self.payloads.enumerated().map { KeyValue(key: "t\($0.offset)", value: $0.element) },
                experiment: parent.experimentID)
            for key in Self.metricKeys {
                try await scenario.log(run, key, [1, 2])
            }
            for (index, payload) in Self.payloads.enumerated() {
                try scenario.writeArtifact(run, "f\(index)\(payload).txt", payload)
            }
            try scenario.writeArtifact(run, "data.csv", "h\(joined)\n\(joined)\n")
            for query in ["", "?path=" + Paths.percentEncode("f0<script>alert(1)</script>.txt"), "?path=data.csv"] {
                let html = try await scenario.page(run, query: query)
                PageChecks.expectInert(html)
                #expect(!html.contains("<script>alert"), "\(query)")
                #expect(!html.contains("onmouseover='"), "\(query)")
                #expect(!html.contains("</svg><script"), "\(query)")
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(query)")
                #expect(html.contains("data-chart-key=\"train/loss: a b\""), "\(query)")
                #expect(html.contains("chart?key=train%2Floss%3A%20a%20b"), "\(query)")
            }
            let parentPage = try await scenario.page(parent)
            PageChecks.expectInert(parentPage)
            let chart = try await scenario.client.send(
                .get, "/ui/runs/\(run.id.rawValue)/chart?key=" + Paths.percentEncode("train/loss: a b"))
            #expect(chart.status == .ok)
            #expect(chart.text.contains("<title>train/loss: a b: step 0 to 1"))
            let hostile = try await scenario.client.send(
                .get, "/ui/runs/\(run.id.rawValue)/chart?key=" + Paths.percentEncode("<img src=x onerror=alert(1)>"))
            #expect(hostile.status == .notFound)
            // The error names the key: inert as JSON, or escaped when the error comes as a page.
            if hostile.headers[.contentType]?.hasPrefix("text/html") == true {
                PageChecks.expectInert(hostile.text)
            } else {
                #expect(hostile.headers[.contentType]?.hasPrefix("application/json") == true)
            }
        }
    }
}
