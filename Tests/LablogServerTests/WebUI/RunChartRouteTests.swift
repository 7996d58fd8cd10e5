import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import Testing

@testable import LablogServer

@Suite("Run page: chart route for zoom and live refresh")
struct RunChartRouteTests {
    @Test("A zoom range is honoured: only buckets inside it, plotted over exactly that range")
    func zoomRange() async throws {
        try await RunPageScenario.run { scenario in
            let run = try await scenario.makeRun()
            try await scenario.log(run, "loss", (0..<1000).map { Double($0) })
            let response = try await scenario.client.send(
                .get, "/ui/runs/\(run.id.rawValue)/chart?key=loss&from=100&to=200&buckets=50")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "image/svg+xml; charset=utf-8")
            let svg = response.text
            #expect(svg.contains("data-x0=\"100\" data-x1=\"200\""))
            #expect(svg.contains("data-zoomed=\"true\""))
            let buckets = try ChartSVG(svg).series[0]
            #expect(!buckets.isEmpty && buckets.count <= 50)
            #expect(buckets.allSatisfy { $0.x0 >= 100 && $0.x1 <= 200 })
            #expect(buckets.first?.x0 == 100)
            #expect(buckets.last?.x1 == 200)
        }
    }

    @Test("However many buckets are asked for, at most 1,000 are drawn")
    func bucketCap() async throws {
        try await RunPageScenario.run { scenario in
            let run = try await scenario.makeRun()
            try await scenario.log(run, "loss", (0..<5000).map { Double($0 % 7) })
            let svg = try await scenario.client.send(
                .get, "/ui/runs/\(run.id.rawValue)/chart?key=loss&buckets=100000"
            ).text
            let buckets = try ChartSVG(svg).series[0]
            #expect(buckets.count == 1000)
            #expect(buckets.reduce(0) { $0 + ($1.x1 - $1.x0 + 1) } == 5000)
        }
    }

    @Test("Relative time ranges are measured from the run's start; scale and smoothing apply")
    func relativeRange() async throws {
        try await RunPageScenario.run { scenario in
            let run = try await scenario.makeRun()
            try await scenario.log(run, "loss", (0..<100).map { Double($0 + 1) })
            let svg = try await scenario.client.send(
                .get, "/ui/runs/\(run.id.rawValue)/chart?key=loss&axis=relative&from=10&to=19&scale=log&smooth=0.5"
            ).text
            let buckets = try ChartSVG(svg).series[0]
            #expect(buckets.map(\.x0) == Array(10...19))
            #expect(buckets.first?.mean == 11)
            #expect(svg.contains("data-scale=\"log\""))
            #expect(svg.contains("<path class=\"smoothed\""))
        }
    }

    @Test("Unknown runs and metrics are 404, a missing key is 400")
    func errors() async throws {
        try await RunPageScenario.run { scenario in
            let run = try await scenario.makeRun()
            let unknownKey = try await scenario.client.send(.get, "/ui/runs/\(run.id.rawValue)/chart?key=nope")
            #expect(unknownKey.status == .notFound)
            let noKey = try await scenario.client.send(.get, "/ui/runs/\(run.id.rawValue)/chart")
            #expect(noKey.status == .badRequest)
            let unknownRun = try await scenario.client.send(
                .get, "/ui/runs/0123456789abcdef0123456789abcdef/chart?key=loss")
            #expect(unknownRun.status == .notFound)
        }
    }

    @Test("The chart script is served as a cached asset")
    func script() async throws {
        try await RunPageScenario.run { scenario in
            let response = try await scenario.client.send(.get, ChartScript.asset.url)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(response.headers[.cacheControl] == "public, max-age=3600")
            #expect(response.text.contains("function live(marker)"))
        }
    }
}
